import { join } from 'node:path';
import { EXIT } from '../cli/errors.js';
import { progressBar } from '../cli/progress.js';
import { checkReportFolder, writeReportFolder } from '../report/folder/index.js';
import { runDesign } from './design.js';
import { designFiles } from './report.js';
import { loadDesignSpec } from './spec.js';

const fmt = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : Number(x.toPrecision(4)).toString();

/**
 * `freqbias design SPEC --out DIR [--no-verify]`: the spec is checked, then the output folder,
 * before any solve; the search shows one progress bar, the verification the run's bars. Returns the
 * exit code: 0, or 3 when the designed ρ_w does not beat the start on the trained network (with
 * --no-verify: on the PDE's prediction).
 */
export async function designCommand(ref: string, opts: { out?: string; verify?: boolean }): Promise<number> {
  const spec = loadDesignSpec(ref);
  const out = opts.out ?? join('out', spec.name);
  await checkReportFolder(out, { overwrite: true });
  let announced = false;
  const announce = () => {
    if (!announced) process.stderr.write(`freqbias: designing ${spec.name} (${spec.source})\n`);
    announced = true;
  };
  const progress = progressBar(announce);
  let searching = false;
  const result = await runDesign(spec, {
    verify: opts.verify !== false,
    progress,
    onCandidate: (_c, done, total) => {
      if (!searching) progress.start('search (PDE)', total);
      searching = true;
      progress.update(Math.min(done, total));
    },
    onFinding: (f, run) => {
      if (searching) {
        progress.stop();
        searching = false;
      }
      announce();
      if (f.level !== 'note')
        process.stderr.write(`freqbias: ${run}: ${f.level}: ${f.field}: ${f.message}\n`);
    },
  }).catch((error: unknown) => {
    progress.abort();
    if (error instanceof Error && error.name === 'PreflightError')
      error.message = `${spec.source}: ${error.message}`;
    throw error;
  });
  if (searching) progress.stop();
  const folder = await writeReportFolder(out, await designFiles(result), { overwrite: true });
  const v = result.verification;
  const named = (values: readonly number[]) =>
    result.parameterNames.length > 6
      ? `${result.parameterNames.length} values (design.json)`
      : result.parameterNames.map((n, i) => `${n} = ${fmt(values[i])}`).join(', ');
  const d = result.descent;
  const goal = result.designed.prediction.goal.text;
  const [designed, start] = [result.designed.prediction.goal, result.start.prediction.goal];
  const extrapolated = [designed, start, ...(v ? [v.designed.goal, v.start.goal] : [])].some(
    (g) => !g.reached,
  );
  const predictedBetter = designed.value < start.value;
  const lines = [
    `designed ${named(result.designed.parameters)}; start ${named(result.start.parameters)} (${result.candidates.length} PDE solves${d ? ` with adjoint gradients, ${d.iterations} L-BFGS steps, ${d.stopped}` : ''}, ${result.searchSeconds.toFixed(1)} s)`,
    `${goal}: predicted ${fmt(designed.value)} designed, ${fmt(start.value)} start`,
    ...(extrapolated
      ? ['warning: some goal values are extrapolated beyond training.time (not reached): raise training.time']
      : []),
    ...(predictedBetter
      ? []
      : [
          "warning: the designed ρ_w is predicted no better than the start on the config's PDE (the start may be near optimal, or search.pde too coarse)",
        ]),
    ...(v
      ? [
          `${goal}: trained ${fmt(v.designed.goal.value)} designed, ${fmt(v.start.goal.value)} start; network vs PDE ${fmt(v.designed.nnVsPdeMax)} and ${fmt(v.start.nnVsPdeMax)}`,
          `${v.improved ? 'PASS' : 'FAIL'} the designed ρ_w beats the start on the trained network`,
        ]
      : ['not verified by training (--no-verify)']),
    `design: ${join(folder, 'design.html')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (v) return v.improved ? EXIT.ok : EXIT.claimFailed;
  return predictedBetter ? EXIT.ok : EXIT.claimFailed;
}
