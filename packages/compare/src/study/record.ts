import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { REPORT_MANIFEST, writeReportFolder } from '../report/folder/index.js';
import type { StudyPoint } from './types.js';

/*
 * A study folder DIR: `DIR/points/<id>/` holds one report folder per point (written whole by
 * writeReportFolder, as `freqbias run` writes one), with `point.json` saying what the point is and
 * how it ended; the study's table, plots and page sit in DIR itself. A point is finished when its
 * folder holds a point.json with status "done" (the folder appears whole, so then the report is
 * there too); a failed point's folder holds only point.json, with the error, and runs again next time.
 */

/** DIR's sub-folder of point folders. */
export const POINTS = 'points';
/** The Slurm job script a `--slurm` sweep writes into DIR, and the folder of its tasks' logs. */
export const SBATCH_FILE = 'sweep.sbatch';
export const SLURM_LOGS = 'slurm';
/** The record of a point in its folder. */
export const POINT_FILE = 'point.json';

/** What a worker is given to run a point: everything in plain JSON (it crosses a process boundary). */
export interface PointTask {
  readonly study: string;
  readonly index: number;
  readonly id: string;
  readonly values: Readonly<Record<string, unknown>>;
  /** The point's config JSON, parsed again where it runs. */
  readonly json: unknown;
  /** The name config errors would carry, and the folder relative paths in the config refer to. */
  readonly source: string;
  readonly baseDir: string;
}

/** The content of point.json. */
export interface PointRecord {
  readonly freqbias: 'study point';
  readonly version: 1;
  readonly study: string;
  readonly id: string;
  readonly index: number;
  readonly values: Readonly<Record<string, unknown>>;
  readonly status: 'done' | 'failed';
  /** One line, for a failed point. */
  readonly error?: string;
  readonly seconds: number;
  readonly host: string;
  readonly pid: number;
  readonly finishedAt: string;
}

/** A point's task, from the study. */
export function pointTask(
  study: { name: string; file: string; baseDir: string },
  point: StudyPoint,
): PointTask {
  return {
    study: study.name,
    index: point.index,
    id: point.id,
    values: point.values,
    json: point.json,
    source: `${study.file} points[${point.index}]`,
    baseDir: study.baseDir,
  };
}

/** The folder of point `id` in the study folder `out`. */
export const pointDir = (out: string, id: string) => join(out, POINTS, id);

/**
 * A point's record, or undefined when it has none yet (never run, or interrupted before its folder
 * appeared) or the record is unreadable.
 *
 * @example
 * readPointRecord('out/width-scan', '3f9c0a1b2d4e')?.status; // 'done'
 */
export function readPointRecord(out: string, id: string): PointRecord | undefined {
  const path = join(pointDir(out, id), POINT_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as PointRecord;
    return record?.freqbias === 'study point' && record.id === id ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether point `id` is finished in `out`: its record says done and its report is there.
 *
 * @example
 * isFinished('out/width-scan', '3f9c0a1b2d4e'); // true after a sweep ran it
 */
export function isFinished(out: string, id: string): boolean {
  return (
    readPointRecord(out, id)?.status === 'done' &&
    existsSync(join(pointDir(out, id), 'report.json')) &&
    existsSync(join(pointDir(out, id), REPORT_MANIFEST))
  );
}

/** point.json's text for a task that ended with `status`. */
export function recordText(
  task: PointTask,
  status: PointRecord['status'],
  seconds: number,
  error?: string,
): string {
  const record: PointRecord = {
    freqbias: 'study point',
    version: 1,
    study: task.study,
    id: task.id,
    index: task.index,
    values: task.values,
    status,
    ...(error !== undefined ? { error } : {}),
    seconds,
    host: hostname(),
    pid: process.pid,
    finishedAt: new Date().toISOString(),
  };
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * Records a failed point: its folder then holds point.json with the error (one line). A point that
 * another process finished meanwhile is left as it is. Returns whether the failure was recorded.
 *
 * @example
 * await recordFailure('out/s', task, 'worker process 4711 was killed (SIGKILL)', 12.5);
 */
export async function recordFailure(
  out: string,
  task: PointTask,
  error: string,
  seconds: number,
): Promise<boolean> {
  if (isFinished(out, task.id)) return false;
  await writeReportFolder(
    pointDir(out, task.id),
    { [POINT_FILE]: recordText(task, 'failed', seconds, error.split('\n')[0]) },
    { overwrite: true },
  );
  return true;
}
