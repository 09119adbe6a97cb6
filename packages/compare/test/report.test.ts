import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportFiles } from '../src/report/build.js';
import { spectraCsv, toCsv } from '../src/report/csv.js';
import { writeReportFolder } from '../src/report/folder/index.js';
import { syntheticReport } from './helpers/synthetic.js';

const root = mkdtempSync(join(tmpdir(), 'freqbias-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('csv', () => {
  it('writes spectra with a header, one row per (time, frequency)', () => {
    expect(spectraCsv(1, [3, 10], [0], [{ re: [1, 0], im: [0, -2] }])).toBe(
      'time,xi,re,im,abs\n0,3,1,0,1\n0,10,0,-2,2\n',
    );
    const csv = spectraCsv(
      2,
      [1, 2, 3, 4],
      [0, 0.5],
      [
        { re: [1, 2], im: [0, 0] },
        { re: [3, 4], im: [0, 1] },
      ],
    );
    expect(csv.split('\n')[0]).toBe('time,xi1,xi2,re,im,abs');
    expect(csv.split('\n')[4]).toBe('0.5,3,4,4,1,4.123105626');
    expect(toCsv(['a', 'b'], [[1, null]])).toBe('a,b\n1,\n');
  });
});

describe('report folder', () => {
  for (const dim of [1, 2] as const)
    it(`${dim}D: every file, valid JSON, PNG bytes, HTML referencing the images`, async () => {
      const out = join(root, `report-${dim}d`);
      await writeReportFolder(out, await reportFiles(syntheticReport(dim)));
      const names = readdirSync(out).sort();
      expect(names).toEqual(
        [
          'discrepancy.csv',
          'discrepancy.png',
          'freqbias-manifest.json',
          'heatmap.png',
          'learning-times.csv',
          'learning-times.png',
          'report.html',
          'report.json',
          'spectra-kernel.csv',
          'spectra-nn.csv',
          'spectra-pde.csv',
        ].sort(),
      );
      const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      expect(json.metrics.nnVsPde.perSnapshot[0]).toEqual({ time: 0, relL2: 0, relL2Initial: 0 });
      expect(json.metrics.nnVsPde.max).toBeGreaterThan(0.01);
      expect(json.metrics.learningTimes.frequencies[0]).toHaveLength(dim);
      expect(json.timings.totalSeconds).toBe(2);
      for (const png of names.filter((n) => n.endsWith('.png')))
        expect([...readFileSync(join(out, png)).subarray(0, 8)]).toEqual(PNG);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      for (const png of names.filter((n) => n.endsWith('.png'))) expect(html).toContain(`<img src="${png}"`);
      expect(html).not.toMatch(/<script|https?:\/\//);
      expect(html).toContain('network vs PDE');
      expect(readFileSync(join(out, 'spectra-nn.csv'), 'utf8').split('\n')[0]).toBe(
        dim === 1 ? 'time,xi,re,im,abs' : 'time,xi1,xi2,re,im,abs',
      );
      if (process.env.FREQBIAS_SAMPLE_REPORT) {
        const keep = join(process.env.FREQBIAS_SAMPLE_REPORT, `report-${dim}d`);
        await writeReportFolder(keep, await reportFiles(syntheticReport(dim)), { overwrite: true });
      }
    });
});
