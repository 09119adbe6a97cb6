/**
 * L = ½ h^d Σ u_i² (THEORY.md §2): the Riemann sum of ½ ∫ u², the loss of every run.
 *
 * @example
 * riemannLoss(Float64Array.of(1, -1), 0.5); // 0.5
 */
export function riemannLoss(u: Float64Array, cellVolume: number): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * u[i];
  return 0.5 * cellVolume * s;
}
