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

/** ‖x − y‖₂ / ‖y‖₂. */
export function relErr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    num += (x[i] - y[i]) ** 2;
    den += y[i] ** 2;
  }
  return Math.sqrt(num / den);
}
