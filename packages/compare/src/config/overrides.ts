/** Command-line overrides applied to raw config JSON before `parseConfig`. */
export interface ConfigOverrides {
  seed?: number;
  width?: number;
  time?: number;
}

/**
 * A copy of raw config JSON with CLI overrides applied (`--seed n` → seeds [n], `--width m`,
 * `--time t`; explicit snapshot times beyond t are dropped, keeping t itself).
 *
 * @example
 * parseConfig(withOverrides(json, { width: 256, time: 5 }), 'gaussian-1d');
 */
export function withOverrides(json: unknown, overrides: ConfigOverrides): unknown {
  if (!json || typeof json !== 'object') return json;
  const c = structuredClone(json) as Record<string, Record<string, unknown> | undefined>;
  if (overrides.width !== undefined && c.network) c.network.width = overrides.width;
  if (c.training) {
    if (overrides.seed !== undefined) c.training.seeds = [overrides.seed];
    const t = overrides.time;
    if (t !== undefined) {
      c.training.time = t;
      const snaps = c.training.snapshots;
      if (Array.isArray(snaps)) {
        const kept = snaps.filter((s) => typeof s === 'number' && s < t);
        c.training.snapshots = [...kept, t];
      }
    }
  }
  return c;
}
