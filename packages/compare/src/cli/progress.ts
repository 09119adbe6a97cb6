import cliProgress from 'cli-progress';
import type { ProgressSink } from '../pipeline/progress.js';

/** The runner's first phase (see runExperiment). */
const CHECKS = 'checks';

/**
 * A progress bar per phase on a terminal; one line per phase otherwise (logs, CI). `announce` runs
 * once the checks have passed (so a run they refuse prints nothing but its error).
 */
export function progressBar(announce: () => void): ProgressSink & { abort(): void } {
  const tty = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | undefined;
  let phaseStart = 0;
  let phase = '';
  return {
    start(name, total) {
      if (name !== CHECKS) announce();
      phase = name;
      phaseStart = performance.now();
      if (!tty) return;
      bar = new cliProgress.SingleBar(
        {
          format: `${name.padEnd(18)} {bar} {percentage}% | {eta_formatted} left`,
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(value) {
      bar?.update(value);
    },
    stop() {
      bar?.stop();
      bar = undefined;
      announce();
      if (!tty)
        process.stderr.write(`${phase}: done in ${((performance.now() - phaseStart) / 1000).toFixed(1)} s\n`);
    },
    abort() {
      bar?.stop();
      bar = undefined;
    },
  };
}
