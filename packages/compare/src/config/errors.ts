/** An invalid config: `issues` holds one readable line per problem, `message` all of them. */
export class ConfigError extends Error {
  readonly issues: string[];
  constructor(
    readonly source: string,
    issues: string[],
  ) {
    const merged = mergeTypos(issues);
    const rest = merged.length > 1 ? ` (and ${merged.length - 1} more: ${merged.slice(1).join('; ')})` : '';
    super(`${source}: ${merged[0]}${rest}`);
    this.issues = merged;
    this.name = 'ConfigError';
  }
}

/**
 * Levenshtein distance, for "did you mean" (short keys only).
 *
 * @example
 * editDistance('widht', 'width'); // 2
 */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * A misspelt key gives two issues, "x.scael: unknown key" and "x.scale: … missing"; say it once, as
 * "x.scael: unknown key; did you mean "scale"?", and suggest the nearest allowed key for any unknown one.
 */
function mergeTypos(issues: readonly string[]): string[] {
  const out = [...issues];
  for (let i = 0; i < out.length; i++) {
    const m = /^(.*?)([^.[\]]+): unknown key \(allowed: ([^)]*)\)$/.exec(out[i]);
    if (!m) continue;
    const [, prefix, key, allowed] = m;
    const candidates = allowed
      .split(', ')
      .map((a) => [a, editDistance(key.toLowerCase(), a.toLowerCase())] as const);
    const [best, distance] = candidates.sort((p, q) => p[1] - q[1])[0] ?? ['', Infinity];
    if (!(distance <= (key.length <= 3 ? 1 : 2))) continue;
    out[i] = `${prefix}${key}: unknown key; did you mean ${JSON.stringify(best)}? (allowed: ${allowed})`;
    const missing = out.findIndex(
      (line) => line.startsWith(`${prefix}${best}: `) && line.endsWith('but it is missing'),
    );
    if (missing >= 0) {
      out.splice(missing, 1);
      if (missing < i) i--;
    }
  }
  // the unknown key first: it is the cause, the rest often follows from it
  return out.sort((a, b) => Number(/did you mean/.test(b)) - Number(/did you mean/.test(a)));
}

/**
 * The candidate nearest to `name` within the edit distance of a typo (1 for names of up to 3
 * characters, else 2), or undefined.
 *
 * @example
 * closest('widht', ['width', 'sigmaA']); // 'width'
 * closest('engine', ['width', 'sigmaA']); // undefined
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let distance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < distance) [best, distance] = [c, d];
  }
  return distance <= (name.length <= 3 ? 1 : 2) ? best : undefined;
}
