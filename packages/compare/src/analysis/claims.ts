import type { Claim } from '../config/index.js';
import { nearestFrequency } from './nearest.js';
import type { ReportMetrics } from './report-metrics.js';

/** One checked claim: what it says, the figure measured, and whether it holds. */
export interface ClaimResult {
  readonly claim: string;
  readonly measured: string;
  readonly pass: boolean;
}

type Series = 'nn' | 'pde' | 'kernel';

const compare = (x: number, op: string, y: number): boolean =>
  op === '<=' ? x <= y : op === '<' ? x < y : op === '>=' ? x >= y : op === '>' ? x > y : x === y;

const fmt = (x: number | null): string =>
  x === null ? 'not reached' : Math.abs(x) >= 100 || Math.abs(x) < 0.01 ? x.toPrecision(3) : x.toFixed(3);

const freq = (f: readonly number[]): string => (f.length === 1 ? `ξ=${f[0]}` : `ξ=(${f.join(', ')})`);

/** The learning time of `series` at the compared frequency nearest to `f`, or null if not reached. */
function learningTimeAt(metrics: ReportMetrics, series: Series, f: readonly number[]): number | null {
  const lt = metrics.learningTimes;
  const values = lt[series];
  if (!values) throw new Error(`claim: the run has no ${series} learning times (is the ${series} enabled?)`);
  const best = nearestFrequency(lt.frequencies, f);
  if (best < 0) throw new Error(`claim: no compared frequency near ${freq(f)}`);
  return values[best];
}

function metricAt(metrics: ReportMetrics, path: string): number {
  let value: unknown = metrics;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  if (typeof value !== 'number') throw new Error(`claim: metric ${path} is not a number in this run`);
  return value;
}

/**
 * Checks an experiment's claims against its metrics. A learning time not reached within the run
 * counts as longer than the run (issue 4): in a ratio it gives a bound (the run's final time in its
 * place), which can confirm a claim in one direction only (a "≥" claim for a slow numerator, a "≤"
 * claim for a slow denominator); otherwise the claim fails.
 *
 * @example
 * evaluateClaims([{ kind: 'metric', metric: 'nnVsPde.max', op: '<=', value: 0.12 }], metrics, 60);
 * // [{ claim: 'nnVsPde.max <= 0.12', measured: '0.048', pass: true }]
 */
export function evaluateClaims(
  claims: readonly Claim[],
  metrics: ReportMetrics,
  runTime: number,
): ClaimResult[] {
  return claims.map((claim) => {
    const label = (text: string) => claim.description ?? text;
    switch (claim.kind) {
      case 'metric': {
        const x = metricAt(metrics, claim.metric);
        return {
          claim: label(`${claim.metric} ${claim.op} ${claim.value}`),
          measured: fmt(x),
          pass: compare(x, claim.op, claim.value),
        };
      }
      case 'learningTimeRatio': {
        const parts = claim.series.map((s) => {
          const num = learningTimeAt(metrics, s, claim.numerator);
          const den = learningTimeAt(metrics, s, claim.denominator);
          const { op, value } = claim;
          if (num !== null && den !== null)
            return { s, text: fmt(num / den), pass: compare(num / den, op, value) };
          // a time not reached is longer than the run: only a bound on the ratio is known, which
          // decides a claim in one direction only
          if (num === null && den !== null) {
            const lower = runTime / den;
            return { s, text: `> ${fmt(lower)}`, pass: (op === '>=' || op === '>') && lower >= value };
          }
          if (num !== null) {
            const upper = num / runTime;
            return { s, text: `< ${fmt(upper)}`, pass: (op === '<=' || op === '<') && upper <= value };
          }
          return { s, text: 'not reached', pass: false };
        });
        return {
          claim: label(
            `learning time ${freq(claim.numerator)} / ${freq(claim.denominator)} ${claim.op} ${claim.value} (${claim.series.join(', ')})`,
          ),
          measured: parts.map((p) => `${p.s} ${p.text}`).join(', '),
          pass: parts.every((p) => p.pass),
        };
      }
      case 'learningTimesWithin': {
        const parts = claim.series.map((s) => {
          const ts = claim.frequencies.map((f) => learningTimeAt(metrics, s, f));
          const reached = ts.every((t) => t !== null);
          const spread = reached
            ? Math.max(...(ts as number[])) / Math.min(...(ts as number[])) - 1
            : Number.POSITIVE_INFINITY;
          return { s, ts, spread, pass: spread <= claim.tolerance };
        });
        return {
          claim: label(
            `learning times at ${claim.frequencies.map(freq).join(', ')} within ${Math.round(claim.tolerance * 100)}% (${claim.series.join(', ')})`,
          ),
          measured: parts
            .map((p) => `${p.s} ${p.ts.map(fmt).join('/')} (spread ${fmt(p.spread * 100)}%)`)
            .join('; '),
          pass: parts.every((p) => p.pass),
        };
      }
      default: {
        const parts = claim.series.map((s) => {
          const a = learningTimeAt(metrics, s, claim.first);
          const b = learningTimeAt(metrics, s, claim.then);
          return { s, a, b, pass: a !== null && (b === null || a < b) };
        });
        return {
          claim: label(
            `${freq(claim.first)} learned before ${freq(claim.then)} (${claim.series.join(', ')})`,
          ),
          measured: parts.map((p) => `${p.s} ${fmt(p.a)} vs ${fmt(p.b)}`).join('; '),
          pass: parts.every((p) => p.pass),
        };
      }
    }
  });
}
