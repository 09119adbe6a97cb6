import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeReportFolder } from '../report/folder/index.js';
import type { ReportTable } from '../report/html.js';
import { reportHtml } from '../report/html.js';
import { renderPng } from '../report/render.js';
import { SWEEP_LOCK } from './lock.js';
import { metricColumns, metricValues, type PointReport, RUN_COLUMNS } from './metrics.js';
import { type SlopeFit, studyPlots } from './plots.js';
import { POINTS, pointDir, readPointRecord, SBATCH_FILE, SLURM_LOGS } from './record.js';
import type { Study, StudyRow } from './types.js';

/*
 * Collecting a study (issue 11): one row per point from its folder, written to DIR as study.csv,
 * study.json, the plots (PNG) and study.html (offline, like report.html). DIR's own files form a
 * report folder (manifest, atomic replacement) beside the points/ folder and the Slurm files, which
 * it never touches.
 */

/** What DIR holds beside the study's report files (never replaced or removed by a collect). */
export const STUDY_ALONGSIDE = [POINTS, SBATCH_FILE, SLURM_LOGS, SWEEP_LOCK] as const;

/** What a collect wrote and found. */
export interface CollectResult {
  readonly folder: string;
  readonly rows: readonly StudyRow[];
  readonly slopes: readonly SlopeFit[];
  readonly counts: { readonly done: number; readonly failed: number; readonly pending: number };
}

/**
 * The table rows of a study in `out`, in point order; `cache` keeps the rows of finished points
 * between calls (they do not change), so a sweep can collect after every point cheaply.
 *
 * @example
 * studyRows(study, 'out/width-scan')[0]; // { index: 0, id: '…', status: 'done', metrics: { 'nnVsPde.max': 0.38, … } }
 */
export function studyRows(study: Study, out: string, cache = new Map<string, StudyRow>()): StudyRow[] {
  return study.points.map((point) => {
    const cached = cache.get(point.id);
    if (cached) return cached;
    const labels = Object.fromEntries(
      study.axes.map((a) => [
        a.path,
        a.labels[a.values.indexOf(point.values[a.path])] ?? String(point.values[a.path]),
      ]),
    );
    const base = { index: point.index, id: point.id, values: point.values, labels };
    const record = readPointRecord(out, point.id);
    const reportPath = join(pointDir(out, point.id), 'report.json');
    if (record?.status === 'done' && existsSync(reportPath)) {
      let report: PointReport;
      try {
        report = JSON.parse(readFileSync(reportPath, 'utf8')) as PointReport;
      } catch {
        return { ...base, status: 'pending', metrics: {} };
      }
      const claims = report.claims ?? [];
      const row: StudyRow = {
        ...base,
        status: 'done',
        metrics: metricValues(report),
        engine: report.network.engine,
        claims: { passed: claims.filter((c) => c.pass).length, total: claims.length },
        finishedAt: record.finishedAt,
      };
      cache.set(point.id, row);
      return row;
    }
    if (record?.status === 'failed')
      return {
        ...base,
        status: 'failed',
        metrics: {},
        error: record.error ?? 'failed',
        finishedAt: record.finishedAt,
      };
    return { ...base, status: 'pending', metrics: {} };
  });
}

/** The metric columns of the table: every point's, in config order, then the run's figures. */
function columnsOf(study: Study): string[] {
  return [...new Set(study.points.flatMap((p) => metricColumns(p.config))), ...RUN_COLUMNS];
}

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  const text = typeof v === 'number' ? String(Number(v.toPrecision(10))) : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * study.csv: `index, id, status`, one column per axis (its labels), the metric columns, `engine`,
 * `claimsPassed`, `claimsTotal`, `error`; one row per point.
 *
 * @example
 * studyCsv(study, rows).split('\n')[0]; // 'index,id,status,network.width,seed,nnVsPde.max,…'
 */
export function studyCsv(study: Study, rows: readonly StudyRow[]): string {
  const metrics = columnsOf(study);
  const header = [
    'index',
    'id',
    'status',
    ...study.axes.map((a) => a.path),
    ...metrics,
    'engine',
    'claimsPassed',
    'claimsTotal',
    'error',
  ];
  const lines = rows.map((r) =>
    [
      r.index,
      r.id,
      r.status,
      ...study.axes.map((a) => (typeof r.values[a.path] === 'number' ? r.values[a.path] : r.labels[a.path])),
      ...metrics.map((m) => r.metrics[m] ?? null),
      r.engine,
      r.claims?.passed,
      r.claims?.total,
      r.error,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.map(csvCell).join(','), ...lines].join('\n')}\n`;
}

/** The tables of study.html: the counts, the fitted slopes, and the points. */
function htmlTables(
  study: Study,
  rows: readonly StudyRow[],
  slopes: readonly SlopeFit[],
  counts: CollectResult['counts'],
): ReportTable[] {
  const key = columnsOf(study).filter((c) =>
    /^(nnVsPde|kernelVsPde|nnVsKernel)\.max$|^learningTime\.nn\.|^seconds$/.test(c),
  );
  const tables: ReportTable[] = [
    {
      title: 'Points',
      columns: ['points', 'done', 'failed', 'pending'],
      rows: [[String(rows.length), String(counts.done), String(counts.failed), String(counts.pending)]],
    },
  ];
  if (slopes.length)
    tables.push({
      title: 'Fitted log–log slopes',
      columns: [
        'metric',
        'against',
        'line',
        'slope (mean over seeds)',
        '± s.d.',
        'seeds',
        'slope of the mean',
      ],
      rows: slopes.map((s) => [
        s.metric,
        s.x,
        s.series || '—',
        s.mean,
        s.seeds.length > 1 ? s.sd : null,
        String(s.seeds.length),
        s.slope,
      ]),
      note: 'Least squares of log metric against log x, per seed; the 1/√m law is a slope of −0.5.',
    });
  tables.push({
    title: 'Every point',
    columns: ['index', 'id', 'status', ...study.axes.map((a) => a.path), ...key, 'engine', 'error'],
    rows: rows.map((r) => [
      String(r.index),
      r.id,
      r.status,
      ...study.axes.map((a) => r.labels[a.path]),
      ...key.map((m) => r.metrics[m] ?? null),
      r.engine ?? '',
      r.error ?? '',
    ]),
    note: `Each point's full report: ${POINTS}/<id>/report.html; every column in study.csv.`,
  });
  return tables;
}

/**
 * Collects the study in `out`: reads every point's folder and writes study.csv, study.json, the plots
 * and study.html into `out` (a report folder beside points/, replaced whole). `cache` as in
 * {@link studyRows}.
 *
 * @example
 * const { counts, slopes } = await collectStudy(study, 'out/width-scan');
 * counts; // { done: 24, failed: 0, pending: 0 }
 */
export async function collectStudy(
  study: Study,
  out: string,
  cache?: Map<string, StudyRow>,
): Promise<CollectResult> {
  const rows = studyRows(study, out, cache);
  const counts = {
    done: rows.filter((r) => r.status === 'done').length,
    failed: rows.filter((r) => r.status === 'failed').length,
    pending: rows.filter((r) => r.status === 'pending').length,
  };
  const plots = studyPlots(study.plots, study.axes, rows);
  const files: Record<string, string | Uint8Array> = {};
  const images: { file: string; caption: string }[] = [];
  for (const plot of plots) {
    if (!rows.some((r) => r.status === 'done')) break;
    let file = plot.file;
    for (let j = 2; file in files; j++) file = plot.file.replace(/\.png$/, `-${j}.png`);
    files[file] = await renderPng(plot.spec);
    images.push({ file, caption: plot.caption });
  }
  const slopes = plots.flatMap((p) => p.slopes);
  files['study.csv'] = studyCsv(study, rows);
  files['study.json'] = `${JSON.stringify(
    {
      freqbias: 'study',
      version: 1,
      name: study.name,
      description: study.description,
      file: study.path,
      base: study.baseSource,
      combine: study.combine,
      axes: study.axes,
      counts,
      columns: columnsOf(study),
      slopes,
      plots: images.map((im) => im.file),
      points: rows,
      collectedAt: new Date().toISOString(),
    },
    null,
    2,
  )}\n`;
  files['study.html'] = reportHtml({
    title: `study ${study.name}`,
    description: study.description,
    images,
    tables: htmlTables(study, rows, slopes, counts),
    config: study.json,
    links: ['study.csv', 'study.json'],
  });
  const folder = await writeReportFolder(out, files, { overwrite: true, alongside: STUDY_ALONGSIDE });
  return { folder, rows, slopes, counts };
}
