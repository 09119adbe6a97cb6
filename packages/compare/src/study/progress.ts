import cliProgress from 'cli-progress';
import type { PointTask } from './record.js';
import type { PointOutcome } from './run-point.js';

/*
 * A sweep's progress on stderr: one bar over the study on a terminal, with a line per finished point
 * above it; on a log (no terminal) a line when a point starts and one when it ends.
 */

/** Where a sweep reports its points. */
export interface SweepProgress {
  started(task: PointTask, pid: number): void;
  finished(outcome: PointOutcome, values: string): void;
  /** A line that is not about one point (an interruption, a warning). */
  note(line: string): void;
  stop(): void;
}

const fmt = (x: number | undefined) =>
  x === undefined ? '—' : x !== 0 && Math.abs(x) < 0.01 ? x.toExponential(2) : x.toFixed(4);

/**
 * The line of a finished point.
 *
 * @example
 * pointLine({ index: 5, id: '28269fd1395d', status: 'done', seconds: 7.1, nnVsPde: 0.38, engine: 'nufft', learningRate: 0.07 }, 'network.width = 1024', 3, 24);
 * // 'done    3/24 points[5] 28269fd1395d network.width = 1024: 7.1 s, nnVsPde.max 0.3800, nufft, η = 0.0700'
 */
export function pointLine(outcome: PointOutcome, values: string, count: number, total: number): string {
  const head = `${outcome.status === 'done' ? 'done  ' : 'FAILED'} ${String(count).padStart(String(total).length)}/${total} points[${outcome.index}] ${outcome.id} ${values}`;
  if (outcome.status === 'failed') return `${head}: ${outcome.error}`;
  const parts = [`${outcome.seconds.toFixed(1)} s`];
  if (outcome.nnVsPde !== undefined) parts.push(`nnVsPde.max ${fmt(outcome.nnVsPde)}`);
  if (outcome.engine) parts.push(outcome.engine);
  if (outcome.learningRate !== undefined) parts.push(`η = ${fmt(outcome.learningRate)}`);
  if (outcome.claimsFailed) parts.push(`${outcome.claimsFailed} claim(s) failed`);
  return `${head}: ${parts.join(', ')}`;
}

/**
 * Progress of a sweep of `total` points of which `before` were finished before it started.
 *
 * @example
 * const progress = sweepProgress(24, 4); // bar at 4/24
 */
export function sweepProgress(total: number, before: number): SweepProgress {
  const tty = Boolean(process.stderr.isTTY);
  let count = before;
  let multi: cliProgress.MultiBar | undefined;
  let bar: cliProgress.SingleBar | undefined;
  if (tty) {
    multi = new cliProgress.MultiBar(
      {
        format: 'study {bar} {value}/{total} points | {eta_formatted} left',
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 8,
      },
      cliProgress.Presets.shades_classic,
    );
    bar = multi.create(total, before);
  }
  const say = (line: string) => {
    if (multi) multi.log(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  };
  return {
    started(task, pid) {
      if (!tty) say(`start  points[${task.index}] ${task.id} (process ${pid})`);
    },
    finished(outcome, values) {
      count++;
      say(pointLine(outcome, values, count, total));
      bar?.update(count);
    },
    note: say,
    stop() {
      multi?.stop();
    },
  };
}
