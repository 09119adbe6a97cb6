import { describe, expect, it } from 'vitest';
import { uniformGrid } from '../src/grid.js';

describe('uniformGrid', () => {
  it('lays out a 1D grid centred on 0 (THEORY §5.1)', () => {
    const g = uniformGrid({ dim: 1, halfWidth: 8, n: 4 });
    expect([...g.points]).toEqual([-8, -4, 0, 4]);
    expect(g.h).toEqual([4]);
    expect(g.cellVolume).toBe(4);
    expect(g.size).toBe(4);
    expect(g.lower).toEqual([-8]);
  });

  it('lays out a 2D grid with index i0*n1 + i1', () => {
    const g = uniformGrid({ dim: 2, halfWidth: [2, 3], n: [4, 3] });
    expect(g.size).toBe(12);
    expect(g.h).toEqual([1, 2]);
    expect(g.cellVolume).toBe(2);
    for (let i0 = 0; i0 < 4; i0++) {
      for (let i1 = 0; i1 < 3; i1++) {
        const i = i0 * 3 + i1;
        expect(g.points[2 * i]).toBe(-2 + i0);
        expect(g.points[2 * i + 1]).toBe(-3 + 2 * i1);
      }
    }
  });

  it('rejects bad arguments by name', () => {
    expect(() => uniformGrid({ dim: 1, halfWidth: 1, n: 0 })).toThrow(/^n:/);
    expect(() => uniformGrid({ dim: 1, halfWidth: 1, n: 2.5 })).toThrow(/^n:/);
    expect(() => uniformGrid({ dim: 1, halfWidth: 0, n: 4 })).toThrow(/^halfWidth:/);
    expect(() => uniformGrid({ dim: 1, halfWidth: Number.POSITIVE_INFINITY, n: 4 })).toThrow(/^halfWidth:/);
    expect(() => uniformGrid({ dim: 2, halfWidth: [1], n: 4 })).toThrow(/^halfWidth:/);
    expect(() => uniformGrid({ dim: 3 as 1, halfWidth: 1, n: 4 })).toThrow(/^dim:/);
  });
});
