import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, listExperiments, loadExperiment, parseConfig } from '../src/config/index.js';

/* The bundled experiments (experiments/*.json): all valid, all listed, loadable with CLI overrides. */

const experimentsDir = fileURLToPath(new URL('../../../experiments/', import.meta.url));
const bundledFiles = readdirSync(experimentsDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

const tmp = mkdtempSync(join(tmpdir(), 'freqbias-experiments-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bundled experiments', () => {
  it('there are some', () => {
    expect(bundledFiles.length).toBeGreaterThanOrEqual(5);
    expect(bundledFiles).toContain('gaussian-1d.json');
  });

  for (const file of bundledFiles)
    it(`${file} is a valid config named after its file`, () => {
      const config = parseConfig(JSON.parse(readFileSync(join(experimentsDir, file), 'utf8')), file);
      expect(config.name).toBe(basename(file, '.json'));
      expect(config.description.length).toBeGreaterThan(0);
      expect(config.training.snapshots.length).toBeGreaterThanOrEqual(2);
    });

  it('listExperiments lists each one once, sorted, with its description', () => {
    const all = listExperiments();
    const names = all.map((e) => e.name);
    expect(names).toEqual(bundledFiles.map((f) => basename(f, '.json')).sort((a, b) => a.localeCompare(b)));
    for (const e of all) {
      const json = JSON.parse(readFileSync(e.file, 'utf8')) as { description: string };
      expect(e.description).toBe(json.description);
    }
  });
});

describe('loadExperiment', () => {
  it('loads a bundled experiment by name, as is', () => {
    const { config, source, baseDir } = loadExperiment('gaussian-1d');
    const raw = JSON.parse(readFileSync(join(experimentsDir, 'gaussian-1d.json'), 'utf8'));
    expect(config).toEqual(parseConfig(raw));
    expect(resolve(source)).toBe(resolve(experimentsDir, 'gaussian-1d.json'));
    expect(resolve(baseDir)).toBe(resolve(experimentsDir));
  });

  it('applies --width, --time and --seed', () => {
    const base = loadExperiment('gaussian-1d').config;
    const { config } = loadExperiment('gaussian-1d', { width: 256, time: 5, seed: 7 });
    expect(config.network.width).toBe(256);
    expect(config.training.time).toBe(5);
    expect(config.training.seeds).toEqual([7]);
    // a snapshot count is kept and spread over the new time
    expect(config.training.snapshots).toHaveLength(base.training.snapshots.length);
    expect(config.training.snapshots[0]).toBe(0);
    expect(config.training.snapshots.at(-1)).toBe(5);
    // the rest untouched
    expect(config.grid).toEqual(base.grid);
    expect(config.pde).toEqual(base.pde);
    expect(config.claims).toEqual(base.claims);
    // each alone
    expect(loadExperiment('gaussian-1d', { seed: 3 }).config.network.width).toBe(base.network.width);
    expect(loadExperiment('gaussian-1d', { width: 64 }).config.training.seeds).toEqual(base.training.seeds);
  });

  it('loads a file by path and applies overrides to explicit snapshot times', () => {
    const file = join(tmp, 'mine.json');
    const raw = JSON.parse(readFileSync(join(experimentsDir, 'gaussian-1d.json'), 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({ ...raw, name: 'mine', training: { time: 10, snapshots: [0, 1, 4, 9, 10] } }),
    );
    const { config, source, baseDir } = loadExperiment(file, { time: 5 });
    expect(config.name).toBe('mine');
    expect(source).toBe(resolve(file));
    expect(baseDir).toBe(resolve(tmp));
    expect(config.training.snapshots).toEqual([0, 1, 4, 5]);
  });

  it('an override that makes the config invalid is reported as such', () => {
    // mirrored initialisation needs an even width
    expect(() => loadExperiment('gaussian-1d', { width: 255 })).toThrow(/network\.width.*255/);
  });

  it('errors name what is wrong: unknown name, broken JSON, invalid field', () => {
    expect(() => loadExperiment('no-such-experiment')).toThrow(
      /no-such-experiment: no such config file, and not a bundled experiment \(bundled: .*gaussian-1d/,
    );
    const broken = join(tmp, 'broken.json');
    writeFileSync(broken, '{ "name": ');
    expect(() => loadExperiment(broken)).toThrow(ConfigError);
    expect(() => loadExperiment(broken)).toThrow(/broken\.json: not valid JSON/);
    const invalid = join(tmp, 'invalid.json');
    const raw = JSON.parse(readFileSync(join(experimentsDir, 'gaussian-1d.json'), 'utf8'));
    writeFileSync(invalid, JSON.stringify({ ...raw, grid: { dim: 1, halfWidth: 8, n: -4 } }));
    expect(() => loadExperiment(invalid)).toThrow(/invalid\.json: grid\.n: .*-4/);
  });
});
