import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { schema } from '@freqbias/nn';
import { listBundled, readBundledJson } from '../config/bundled.js';
import { ConfigError, type ExperimentConfig, listExperiments, parseConfig } from '../config/index.js';
import { type Attribution, attribute, closest } from './attribute.js';
import { configTarget, setConfigPath, within } from './config-path.js';
import { canonicalJson, pointId } from './hash.js';
import { resolvePlots } from './plot-specs.js';
import { axisValues, combine, valueText } from './points.js';
import { type RawStudy, STUDY_LIMITS, studySchema } from './schema.js';
import type { Study, StudyAxis, StudyPoint } from './types.js';

/**
 * The bundled studies (experiments/studies/*.json) by name.
 *
 * @example
 * listStudies().map((s) => s.name); // ['sigma-a-scan', 'sigma-w-scan', 'width-scan']
 */
export function listStudies(): { name: string; file: string }[] {
  return listBundled('studies');
}

/**
 * Loads a study by file path or bundled name and validates all of it — the schema, every axis path,
 * every point's config, the plots — before anything runs. Errors are {@link ConfigError}s of one
 * line naming the file and the field: `study.json: axes[0].path: unknown config path
 * "network.widht"; did you mean "network.width"?`.
 *
 * @example
 * const study = loadStudy('width-scan');
 * study.points.length; // 24
 * study.points[0].id; // '…' (12 hex digits)
 */
export function loadStudy(ref: string): Study {
  const { file, json } = readBundledJson(ref, 'studies', 'study');
  return parseStudy(json, file);
}

/**
 * Validates a study (parsed JSON) read from `file` (relative paths in it refer to its folder) and
 * expands its points; see {@link loadStudy}.
 *
 * @example
 * parseStudy({ name: 's', base: 'gaussian-1d', axes: [{ path: 'seed', values: [0, 1] }] }, 's.json').points.length; // 2
 */
export function parseStudy(json: unknown, file: string): Study {
  const fail = (problems: string[]): never => {
    throw new ConfigError(file, problems);
  };
  const parsed = studySchema.safeParse(json, { reportInput: true });
  if (!parsed.success) fail(parsed.error.issues.flatMap((issue) => schema.describeIssue(issue, '(study)')));
  const raw = parsed.data!;
  const studyDir = dirname(resolve(file));
  const { axes, targets } = expandAxes(raw, fail);
  const base = readBase(raw, studyDir, file, fail);
  const lengths = axes.map((a) => a.values.length);
  const count = raw.combine === 'zip' ? lengths[0] : lengths.reduce((p, n) => p * n, 1);
  if (count > STUDY_LIMITS.maxPoints)
    fail([`axes: the ${raw.combine} has ${count} points, at most ${STUDY_LIMITS.maxPoints}`]);

  // the base with `set` applied; problems of the base alone are said once, as the base's
  const start = structuredClone(base.json);
  for (const t of targets.filter((t) => t.axis === undefined)) {
    const problem = setConfigPath(start, t.path, t.value);
    if (problem) fail([`${t.where}: cannot set ${JSON.stringify(t.text)}: ${problem}`]);
  }
  const baseLines = configLines(start, base);
  const attribution: Attribution = {
    targets: targets.map((t) => ({ where: t.where, text: t.text, path: t.path, axis: t.axis })),
    baseLines,
    baseWhere: base.where,
  };

  const points: StudyPoint[] = [];
  const problems = new Set<string>();
  const seen = new Map<string, number>();
  for (const [index, choice] of combine(lengths, raw.combine).entries()) {
    const pointJson = structuredClone(start) as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    axes.forEach((axis, k) => {
      const value = axis.values[choice[k]];
      values[axis.path] = value;
      const target = configTarget(axis.path, value)!;
      const problem = setConfigPath(pointJson, target.path, target.value);
      if (problem) problems.add(`axes[${k}].path: cannot set ${JSON.stringify(axis.path)}: ${problem}`);
    });
    if (problems.size > 0) break;
    const valueList = axes.map((a, k) => `${a.path} = ${a.labels[choice[k]]}`).join(', ');
    let config: ExperimentConfig;
    try {
      config = parseConfig(pointJson, `${file} points[${index}]`, { baseDir: base.dir });
    } catch (error) {
      for (const line of errorLines(error))
        problems.add(attribute(line, { ...attribution, index, choice, valueList }));
      if (problems.size >= 3) break;
      continue;
    }
    const id = pointId(config, base.dir);
    const twin = seen.get(id);
    if (twin !== undefined) {
      problems.add(
        `axes: points[${twin}] and points[${index}] are the same config (id ${id}): ${describe(points[twin])} and ${valueList}`,
      );
      break;
    }
    seen.set(id, index);
    const name = `${raw.name}-${id}`;
    const description = `${raw.description || raw.name}: ${valueList}`;
    points.push({
      index,
      id,
      values,
      json: { ...pointJson, name, description },
      config: { ...config, name, description },
    });
  }
  if (problems.size > 0) fail([...problems]);
  const plots = resolvePlots(raw.plots, axes, points, fail);
  return {
    name: raw.name,
    description: raw.description,
    file,
    path: resolve(file),
    baseSource: base.source,
    baseDir: base.dir,
    combine: raw.combine,
    axes,
    points,
    plots,
    json,
  };
}

function describe(point: StudyPoint): string {
  return Object.entries(point.values)
    .map(([path, v]) => `${path} = ${valueText(v)}`)
    .join(', ');
}

/** A config's error lines, or none when it parses. */
function configLines(json: unknown, base: { source: string; dir: string }): string[] {
  try {
    parseConfig(json, base.source, { baseDir: base.dir });
    return [];
  } catch (error) {
    return errorLines(error);
  }
}

function errorLines(error: unknown): string[] {
  if (error instanceof ConfigError) return error.issues;
  return [(error instanceof Error ? error.message : String(error)).split('\n')[0]];
}

/** A place in the config that the study writes: an axis (`axes[k]`) or a `set` entry. */
interface Target {
  readonly where: string;
  readonly text: string;
  readonly path: readonly (string | number)[];
  readonly value?: unknown;
  readonly axis?: number;
}

/** The axes with their values expanded, and every path the study writes, checked against each other. */
function expandAxes(raw: RawStudy, fail: (problems: string[]) => never) {
  const problems: string[] = [];
  const targets: Target[] = [];
  const add = (where: string, text: string, value: unknown, axis?: number) => {
    const target = configTarget(text, value);
    if (!target) {
      problems.push(
        `${where}: expected a config path like "network.width", "distribution.components[0].sigma" or "seed", got ${JSON.stringify(text)}`,
      );
      return;
    }
    const clash = targets.find((t) => within(t.path, target.path) || within(target.path, t.path));
    if (clash)
      problems.push(
        `${where}: ${JSON.stringify(text)} overlaps ${clash.where}'s ${JSON.stringify(clash.text)}; a config path may be set once`,
      );
    targets.push({ where, text, path: target.path, value: target.value, axis });
  };
  for (const [key, value] of Object.entries(raw.set)) add(schema.pathText(['set', key]), key, value);
  const axes: StudyAxis[] = raw.axes.map((axis, k) => {
    add(`axes[${k}].path`, axis.path, undefined, k);
    const values = axisValues(axis.values);
    if (typeof values === 'string') {
      problems.push(`axes[${k}].values: ${values}`);
      return { path: axis.path, values: [], labels: [] };
    }
    if (values.length === 0) problems.push(`axes[${k}].values: expected at least one value, got []`);
    if (axis.labels && axis.labels.length !== values.length)
      problems.push(
        `axes[${k}].labels: expected ${values.length} label(s), one per value, got ${axis.labels.length}`,
      );
    // default labels are cut at 40 characters; when that makes two alike, they are written whole
    const short = values.map(valueText);
    const labels =
      axis.labels ??
      (new Set(short).size < short.length
        ? values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
        : short);
    // labels name the lines of the plots and the values in the table: two different values, one
    // label would merge two lines into one (a value repeated in a zip keeps its label)
    const twin = labels.findIndex((label, j) => {
      const first = labels.indexOf(label);
      return first !== j && canonicalJson(values[first]) !== canonicalJson(values[j]);
    });
    if (axis.labels && twin >= 0 && values.length === labels.length)
      problems.push(
        `axes[${k}].labels: expected one distinct label per value, but ${JSON.stringify(labels[twin])} names values[${labels.indexOf(labels[twin])}] and values[${twin}]`,
      );
    return { path: axis.path, values, labels };
  });
  if (raw.combine === 'zip')
    axes.forEach((axis, k) => {
      if (k > 0 && axis.values.length !== axes[0].values.length)
        problems.push(
          `axes[${k}].values: expected ${axes[0].values.length} values to zip with axes[0], got ${axis.values.length}`,
        );
    });
  if (problems.length > 0) fail(problems);
  return { axes, targets };
}

/** The base config's JSON, where it came from and how its errors are introduced. */
function readBase(raw: RawStudy, studyDir: string, file: string, fail: (problems: string[]) => never) {
  if (typeof raw.base === 'object')
    // an inline base is named by the study when it has no name (each point is renamed anyway)
    return {
      json: { name: raw.name, ...raw.base } as unknown,
      source: `${file} (base)`,
      dir: studyDir,
      where: 'base.',
    };
  const ref = raw.base;
  let path: string;
  const local = resolve(studyDir, ref);
  if (/\.json$/i.test(ref) || ref.includes('/') || ref.includes('\\') || existsSync(local)) {
    if (!existsSync(local)) fail([`base: no such config file ${JSON.stringify(ref)} (looked for ${local})`]);
    path = local;
  } else {
    const bundled = listExperiments();
    const hit = bundled.find((e) => e.name === ref);
    if (!hit) {
      const near = closest(
        ref,
        bundled.map((e) => e.name),
      );
      fail([
        `base: ${JSON.stringify(ref)} is not a bundled experiment${near ? `; did you mean ${JSON.stringify(near)}?` : ''} (bundled: ${bundled.map((e) => e.name).join(', ')})`,
      ]);
    }
    path = hit!.file;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail([`base: ${path}: not valid JSON (${(error as Error).message.split('\n')[0]})`]);
  }
  const shown = relative(process.cwd(), path) || path;
  return { json, source: path, dir: dirname(path), where: `base (${shown}): ` };
}
