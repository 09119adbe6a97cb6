/**
 * The divergence test of every training run: a NaN, or the loss grown 10× over its initial value.
 * Throws an error naming η and λ_max (estimated by `lambdaMax` when training did not compute it).
 *
 * @example
 * await checkDivergence(50, 1, 7, 0.1, async () => 30);
 * // throws "training diverged at step 7: loss grew from 1 to 50; learning rate η = 0.1, λ_max = 30 …"
 */
export async function checkDivergence(
  loss: number,
  initialLoss: number,
  step: number,
  eta: number,
  lambdaMax: () => Promise<number>,
): Promise<void> {
  if (Number.isFinite(loss) && !(initialLoss > 0 && loss > 10 * initialLoss)) return;
  let lambda = Number.NaN;
  try {
    lambda = await lambdaMax();
  } catch {
    // keep NaN: the message still names η
  }
  const why = Number.isFinite(loss) ? `loss grew from ${initialLoss} to ${loss}` : `loss is ${loss}`;
  throw new Error(
    `training diverged at step ${step}: ${why}; learning rate η = ${eta}, λ_max = ${lambda} ` +
      `(stability needs η < 2/λ_max = ${2 / lambda}; try learningRate: 'auto' = 1/λ_max)`,
  );
}
