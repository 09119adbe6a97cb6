/*
 * Report folders that never lose a user's data (issue 8).
 *
 * - A report folder carries a manifest (`freqbias-manifest.json`) listing the files freqbias wrote.
 *   Only such a folder (or an empty one) is ever replaced, and only the files in its manifest are
 *   removed: a folder holding anything else is refused, naming the foreign file.
 * - A new folder is written as a hidden sibling and renamed into place (one atomic rename).
 * - An existing report is replaced in place: the new files go into a hidden staging folder inside it;
 *   writing the staging manifest commits the new report; each file then replaces its old version by an
 *   atomic rename, stale files of the old report are removed, and the manifest goes last. Every file
 *   at `outDir` is whole at every instant, and a SIGKILL at any point leaves either the old report
 *   (staging not committed) or a committed staging that the next write, or {@link recoverReportFolder},
 *   completes.
 * - The write itself is synchronous, so SIGINT/SIGTERM/SIGHUP arriving during it are handled after it
 *   has finished (the folder is never left half-written by a Ctrl-C), then re-raised.
 * - Leftovers of interrupted writes (staging or sibling folders whose process is gone) are removed by
 *   the next write to the same place.
 */

export { REPORT_MANIFEST, ReportFolderError } from './paths.js';
export { recoverReportFolder } from './recovery.js';
export {
  checkReportFolder,
  type ReportFiles,
  type WriteReportOptions,
  writeReportFolder,
} from './write.js';
