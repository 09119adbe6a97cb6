import { closest } from './attribute.js';
import { SEED } from './config-path.js';
import { metricColumns, metricParts, RUN_COLUMNS } from './metrics.js';
import type { PlotSpec } from './schema.js';
import type { StudyAxis, StudyPoint } from './types.js';

/** Whether an axis is drawn on a log scale by default: a width (`network.width`, `hiddenWidth`). */
export const isWidthAxis = (path: string) => /width$/i.test(path);

const numeric = (axis: StudyAxis) => axis.values.every((v) => typeof v === 'number' && Number.isFinite(v));

/**
 * A study's plots, checked against its axes and its points' metric columns; without `plots` in the
 * file, one per numeric axis (but `seed`) of nnVsPde.max, or of the first learning time when there is
 * no PDE.
 *
 * @example
 * resolvePlots(undefined, study.axes, study.points, fail); // [{ metric: 'nnVsPde.max', x: 'network.width', … }]
 */
export function resolvePlots(
  plots: readonly PlotSpec[] | undefined,
  axes: readonly StudyAxis[],
  points: readonly StudyPoint[],
  fail: (problems: string[]) => never,
): PlotSpec[] {
  const columns = [...new Set(points.flatMap((p) => metricColumns(p.config)))];
  const known = [...columns, ...RUN_COLUMNS];
  if (plots === undefined) {
    const metric = columns.includes('nnVsPde.max')
      ? 'nnVsPde.max'
      : (columns.find((c) => c.startsWith('learningTime.')) ?? 'seconds');
    return axes
      .filter((a) => a.path !== SEED && numeric(a) && new Set(a.values).size > 1)
      .map((a) => ({ metric, x: a.path, band: 'minmax', xScale: 'auto', yScale: 'auto' }));
  }
  const problems: string[] = [];
  plots.forEach((plot, k) => {
    const axis = axes.find((a) => a.path === plot.x);
    if (!axis) {
      const paths = axes.map((a) => a.path);
      const near = closest(plot.x, paths);
      problems.push(
        `plots[${k}].x: ${JSON.stringify(plot.x)} is not an axis of the study${near ? `; did you mean ${JSON.stringify(near)}?` : ''} (axes: ${paths.join(', ')})`,
      );
    } else if (!numeric(axis))
      problems.push(
        `plots[${k}].x: expected an axis of numbers, but ${JSON.stringify(plot.x)} has ${JSON.stringify(axis.values.find((v) => typeof v !== 'number'))}`,
      );
    else if (plot.xScale === 'log' || (plot.xScale === 'auto' && isWidthAxis(plot.x))) {
      const bad = axis.values.find((v) => !((v as number) > 0));
      if (bad !== undefined)
        problems.push(`plots[${k}].xScale: a log scale needs x > 0, but ${plot.x} has ${bad}`);
    }
    const metrics = Array.isArray(plot.metric) ? plot.metric : [plot.metric];
    metrics.forEach((metric, j) => {
      const where = Array.isArray(plot.metric) ? `plots[${k}].metric[${j}]` : `plots[${k}].metric`;
      const parts = metricParts(metric);
      if (parts.length > 2 || parts.some((p) => p === '')) {
        problems.push(`${where}: expected a metric or a ratio "a / b" of two, got ${JSON.stringify(metric)}`);
        return;
      }
      for (const part of parts)
        if (!known.includes(part)) {
          const near = closest(part, known);
          problems.push(
            `${where}: unknown metric ${JSON.stringify(part)}${near ? `; did you mean ${JSON.stringify(near)}?` : ''} (metrics: ${known.join(', ')})`,
          );
        }
    });
  });
  if (problems.length > 0) fail(problems);
  return [...plots];
}
