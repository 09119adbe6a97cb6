/**
 * `pnpm validate [name …]`: runs the bundled experiments (all, or those named), writes each report
 * to out/<name>/, and prints one table row per claim: the claim, the measured figure, pass or fail.
 * The table is also written to out/validation.md and out/validation.json. Exits 1 if a claim fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ClaimResult,
  listExperiments,
  loadExperiment,
  reportFiles,
  runExperiment,
  writeReportFolder,
} from '../packages/compare/src/index.js';

const names = process.argv.slice(2);
const all = listExperiments();
const unknown = names.filter((n) => !all.some((e) => e.name === n));
if (unknown.length) {
  console.error(
    `validate: unknown experiment(s) ${unknown.join(', ')}; bundled: ${all.map((e) => e.name).join(', ')}`,
  );
  process.exit(2);
}
const chosen = names.length ? all.filter((e) => names.includes(e.name)) : all;

interface Row extends ClaimResult {
  experiment: string;
  seconds: number;
}
const rows: Row[] = [];
for (const experiment of chosen) {
  const { config, baseDir } = loadExperiment(experiment.file);
  process.stderr.write(`validate: ${config.name} …\n`);
  const result = await runExperiment(config, { baseDir });
  await writeReportFolder(join('out', config.name), await reportFiles(result.reportData), {
    overwrite: true,
  });
  const seconds = result.report.timings.totalSeconds;
  for (const claim of result.report.claims) rows.push({ experiment: config.name, seconds, ...claim });
  process.stderr.write(`validate: ${config.name} done in ${seconds.toFixed(1)} s\n`);
}

const header = ['experiment', 'claim', 'measured', 'result', 'run time'];
const table = rows.map((r) => [
  r.experiment,
  r.claim,
  r.measured,
  r.pass ? 'pass' : 'FAIL',
  `${r.seconds.toFixed(0)} s`,
]);
const markdown = [
  `| ${header.join(' | ')} |`,
  `|${header.map(() => '---').join('|')}|`,
  // a | inside a cell (|p|², a claim's own words) would end it: escaped as Markdown has it
  ...table.map((cells) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`),
].join('\n');
mkdirSync('out', { recursive: true });
writeFileSync(join('out', 'validation.md'), `${markdown}\n`);
writeFileSync(join('out', 'validation.json'), `${JSON.stringify(rows, null, 2)}\n`);
console.log(markdown);
const failed = rows.filter((r) => !r.pass).length;
console.log(`\n${rows.length - failed} of ${rows.length} claims hold${failed ? `; ${failed} FAIL` : ''}.`);
process.exitCode = failed ? 1 : 0;
