/** max_i |x_i − y_i| / max_i |y_i|: the error of x relative to the size of the reference y. */
export function relMax(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let diff = 0;
  let size = 0;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    size = Math.max(size, Math.abs(y[i]));
  }
  return diff / size;
}
