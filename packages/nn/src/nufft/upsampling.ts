/**
 * The upsampling σ of the fine grid, chosen here and only here. 1D: 4 — σ = 4 needs two kernel
 * points fewer at 1e-12 (12 instead of 14; see esKernelFor) for an FFT of twice the length, a clear
 * gain where the fine grid is tiny next to m·w. 2D: 2 — with the wasm SIMD loops the taps are cheap
 * enough that σ = 4's 4× larger FFTs (serial) and 4× larger padded grid (out of cache) cost more than
 * its narrower kernel saves: measured 2026-12-02 at 128×128, two threads, a GD step took 233–257 ms
 * at σ = 2 (w = 14, fine grid 256²) against 324 ms at σ = 4 (w = 12, 512²) for m = 2^18, and the
 * same (1018–1062 against 1037–1085 ms) for m = 2^20. (With the JS loops σ = 4 was ~10% faster from
 * m ≈ 2^18 on.) σ = 3 (a radix-3 step over fft.js, w = 12 with β = 2.55·w, errors 4.6–5.8e-13 at
 * 1e-12) was no faster either, 2026-12-04, two threads, ms for setPoints/type 1/three type 2: at
 * m = 2^18 4.7/21.6/50.5 on 384² against 6.0/17.2/46.1 on 256², at 2^20 17.3/95.6/183 against
 * 17.7/95.4/192: its larger grid costs what its fewer taps save. `points` is kept for the callers'
 * sake: the rule no longer depends on it.
 *
 * @example
 * upsamplingFor([512]); // 4
 * upsamplingFor([128, 128], 2 ** 18); // 2
 */
export function upsamplingFor(n: readonly number[], _points?: number): 2 | 4 {
  return n.length === 1 ? 4 : 2;
}
