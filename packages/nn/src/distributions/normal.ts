/**
 * The standard normal CDF Φ and its inverse, to about 1e-15 (used by the Gaussian's inverse CDF for
 * stratified sampling). Φ(x) = ½ erfc(−x/√2), with erf by its positive series below |t| = 2.5 (no
 * cancellation: erf t = (2/√π) e^{−t²} Σ 2^n t^{2n+1}/(2n+1)!!) and erfc by its continued fraction
 * above.
 *
 * @example
 * normalCdf(0); // 0.5
 * normalCdf(1.959963984540054); // ≈ 0.975
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const t = x / Math.SQRT2;
  if (Math.abs(t) < 2.5) return 0.5 * (1 + erfSeries(t));
  const tail = 0.5 * erfcFraction(Math.abs(t));
  return t > 0 ? 1 - tail : tail;
}

/**
 * Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation (relative error 1.2e-9) refined by one
 * Halley step on {@link normalCdf}; −∞ at 0 and +∞ at 1.
 *
 * @example
 * normalQuantile(0.975); // ≈ 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  let x: number;
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = tailNumerator(q) / tailDenominator(q);
  } else if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -tailNumerator(q) / tailDenominator(q);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((-39.69683028665376 * r + 220.9460984245205) * r - 275.9285104469687) * r + 138.357751867269) * r -
        30.66479806614716) *
        r +
        2.506628277459239) *
        q) /
      (((((-54.47609879822406 * r + 161.5858368580409) * r - 155.6989798598866) * r + 66.80131188771972) * r -
        13.28068155288572) *
        r +
        1);
  }
  // One Halley step; near the upper tail the error is taken from the complement to keep digits.
  const e = p > 0.5 ? 1 - p - normalCdf(-x) : normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

function tailNumerator(q: number): number {
  return (
    ((((-0.007784894002430293 * q - 0.3223964580411365) * q - 2.400758277161838) * q - 2.549732539343734) *
      q +
      4.374664141464968) *
      q +
    2.938163982698783
  );
}

function tailDenominator(q: number): number {
  return (
    (((0.007784695709041462 * q + 0.3224671290700398) * q + 2.445134137142996) * q + 3.754408661907416) * q +
    1
  );
}

/** erf(t) for |t| < 2.5 by (2/√π) e^{−t²} Σ 2^n t^{2n+1}/(2n+1)!!, all terms of one sign. */
function erfSeries(t: number): number {
  const t2 = t * t;
  let term = t;
  let sum = t;
  for (let n = 1; n < 200; n++) {
    term *= (2 * t2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-t2) * sum;
}

/** erfc(t) for t ≥ 2.5 by its continued fraction e^{−t²}/√π · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + …)))) (Lentz). */
function erfcFraction(t: number): number {
  const tiny = 1e-300;
  let f = t;
  let c = t;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = t + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = t + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-t * t) / (Math.sqrt(Math.PI) * f);
}
