/*
 * A child process for the SIGKILL test: writes report versions A and B to the folder argv[2] in
 * turn, forever, printing "ready" once the first one is in place. Each file's content names its
 * version, so a reader can tell a whole file of either version from a torn one.
 */
import { writeReportFolder } from '../../src/report/folder/index.js';

const out = process.argv[2];
const version = (v: string) =>
  Object.fromEntries(
    Array.from({ length: 12 }, (_, k) => [
      k % 3 === 0 ? `sub/file-${k}.txt` : `file-${k}.txt`,
      `${v}:${k}:${'x'.repeat(20_000 + 997 * k)}\n`,
    ]).concat(v === 'A' ? [['only-a.txt', `A:only:\n`]] : []),
  );
await writeReportFolder(out, version('A'), { overwrite: true });
process.stdout.write('ready\n');
for (let j = 1; ; j++) await writeReportFolder(out, version(j % 2 ? 'B' : 'A'), { overwrite: true });
