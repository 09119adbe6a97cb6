import { parseConfig } from '../config/index.js';
import type { Limits } from '../pipeline/checks/resources.js';
import type { ProgressSink } from '../pipeline/progress.js';
import { runExperiment } from '../pipeline/run.js';
import { reportFiles } from '../report/build.js';
import { writeReportFolder } from '../report/folder/index.js';
import { isFinished, POINT_FILE, type PointTask, pointDir, recordFailure, recordText } from './record.js';

/** How a point ended, as a worker reports it to the sweep. */
export interface PointOutcome {
  readonly index: number;
  readonly id: string;
  readonly status: 'done' | 'failed';
  readonly seconds: number;
  /** One line, for a failed point. */
  readonly error?: string;
  /** For a finished point: the figures of its line of progress. */
  readonly engine?: string;
  readonly learningRate?: number;
  readonly nnVsPde?: number;
  readonly claimsFailed?: number;
}

/** Options of {@link runPoint}. */
export interface RunPointOptions {
  readonly limits?: Partial<Limits>;
  readonly progress?: ProgressSink;
}

/**
 * Runs one study point with runExperiment and writes its report folder `DIR/points/<id>/` whole
 * (the report's files and point.json). A failure — a check that refused the run, an error during it
 * — is recorded in the folder instead (see record.ts) and returned, never thrown.
 *
 * @example
 * const outcome = await runPoint(pointTask(study, study.points[3]), 'out/width-scan');
 * outcome.status; // 'done'
 */
export async function runPoint(
  task: PointTask,
  out: string,
  options: RunPointOptions = {},
): Promise<PointOutcome> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const config = parseConfig(task.json, task.source, { baseDir: task.baseDir });
    const result = await runExperiment(config, {
      baseDir: task.baseDir,
      limits: options.limits,
      progress: options.progress,
    });
    const files = await reportFiles(result.reportData);
    const { network, metrics, claims } = result.report;
    try {
      await writeReportFolder(
        pointDir(out, task.id),
        { ...files, [POINT_FILE]: recordText(task, 'done', seconds()) },
        { overwrite: true },
      );
    } catch (error) {
      // another process (a sweep killed and restarted meanwhile) finished the same point: its report stands
      if (!isFinished(out, task.id)) throw error;
    }
    return {
      index: task.index,
      id: task.id,
      status: 'done',
      seconds: seconds(),
      engine: network.engine,
      learningRate: network.learningRate,
      nnVsPde: metrics.nnVsPde?.max,
      claimsFailed: claims.filter((c) => !c.pass).length,
    };
  } catch (error) {
    options.progress?.abort?.();
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    try {
      await recordFailure(out, task, message, seconds());
    } catch (recordError) {
      return failed(
        task,
        `${message} (and its failure could not be recorded: ${(recordError as Error).message})`,
        seconds(),
      );
    }
    return isFinished(out, task.id)
      ? { index: task.index, id: task.id, status: 'done', seconds: seconds() }
      : failed(task, message, seconds());
  }
}

function failed(task: PointTask, error: string, seconds: number): PointOutcome {
  return { index: task.index, id: task.id, status: 'failed', seconds, error };
}
