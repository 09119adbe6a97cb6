/**
 * The spreading and interpolation loops of codegen.ts as WebAssembly text with 128-bit SIMD, per
 * kernel width w, table degree D and batch size K. A complex value (re, im) is one f64x2 lane pair,
 * so a tap is one v128 load, one f64x2 multiply by the splatted kernel value and one add (the JS
 * loops do each twice, with bounds checks). Same memory conventions as codegen.ts, with arrays
 * given as byte offsets into the module's imported shared memory (nufft/wasm/heap.ts): base and
 * cell are i32, u and the kernel table f64, the padded grid and the non-uniform values complex
 * interleaved (16 bytes per value). The kernel values are evaluated by Horner in scalar f64 (w·D
 * operations against the w^d taps), the axis-0 ones of 2D kept in the `row` scratch.
 *
 * Exported function `run(from, to, [order,] base0, cell0, u0, [base1, cell1, u1, cols,] coeffs,
 * pad, [row,] v0 … v_{K−1})`, all i32 (offsets in bytes except from, to, cols).

 */

/** A generated wasm loop's text and its cache key. */
export interface WatSource {
  readonly key: string;
  readonly text: string;
  /** Parameter names after (from, to), in order: what the loop's caller passes. */
  readonly params: readonly string[];
  /** Whether the text uses relaxed SIMD (f64x2.relaxed_madd): compile with that feature. */
  readonly relaxed?: boolean;
}

/**
 * The text of the spreading ('spread') or interpolation ('interp') loop; `fma` fuses the taps'
 * multiply-adds (f64x2.relaxed_madd, for runtimes with relaxed SIMD: results then differ from the
 * unfused ones by rounding only).
 *
 * The kernel values are evaluated two taps at a time: one f64x2 Horner step per degree serves taps
 * 2i and 2i + 1 (the table stores them side by side), lanes then splatted for the complex taps (an
 * odd last tap by scalar Horner). Lane by lane the same operations as scalar Horner, so the values
 * are those of the scalar loops bit for bit without `fma`.
 *
 * @example
 * watSource('interp', 2, 12, 4, 3).params; // ['base0', 'cell0', 'u0', 'base1', 'cell1', 'u1', 'cols', 'coeffs', 'pad', 'row', 'v0', 'v1', 'v2']
 */
export function watSource(
  kind: 'spread' | 'interp',
  dim: 1 | 2,
  w: number,
  degree: number,
  kk: number,
  sorted = false,
  fma = false,
): WatSource {
  const values = Array.from({ length: kk }, (_, q) => `v${q}`);
  const located =
    dim === 1 ? ['base0', 'cell0', 'u0'] : ['base0', 'cell0', 'u0', 'base1', 'cell1', 'u1', 'cols'];
  const params = [
    ...(sorted ? ['order'] : []),
    ...located,
    'coeffs',
    'pad',
    ...(dim === 2 ? ['row'] : []),
    ...values,
  ];
  const pairs = w >> 1;
  const lines: string[] = [];
  const emit = (s: string) => lines.push(s);
  emit('(module');
  emit('(import "env" "memory" (memory 1 65536 shared))');
  emit(
    `(func (export "run") (param $from i32) (param $to i32) ${params.map((p) => `(param $${p} i32)`).join(' ')}`,
  );
  emit('(local $j i32) (local $jv i32) (local $l i32) (local $k0 i32) (local $stride i32)');
  emit('(local $c0 i32) (local $c1 i32) (local $x0 f64) (local $x1 f64) (local $gg v128) (local $t v128)');
  emit('(local $ux v128)');
  for (let k = 0; k < w; k++) emit(`(local $f${k} v128)`);
  for (let i = 0; i < pairs; i++) emit(`(local $p${i} v128)`);
  for (let q = 0; q < kk; q++) emit(`(local $acc${q} v128) (local $cv${q} v128)`);
  const at = (array: string, shift: number, index = '$j') =>
    `(i32.add (local.get $${array}) (i32.shl (local.get ${index}) (i32.const ${shift})))`;
  /** a·b + c: fused with `fma`, else multiply then add. */
  const madd = (a: string, b: string, c: string) =>
    fma ? `(f64x2.relaxed_madd ${a} ${b} ${c})` : `(f64x2.add (f64x2.mul ${a} ${b}) ${c})`;
  /** Scalar Horner for tap k (an odd width's last tap). */
  const horner = (cell: string, u: string, k: number) => {
    const c = (d: number) =>
      `(f64.load offset=${8 * (d * w + k)} (i32.add (local.get $coeffs) (local.get ${cell})))`;
    let e = c(degree);
    for (let d = degree - 1; d >= 0; d--) e = `(f64.add (f64.mul ${e} (local.get ${u})) ${c(d)})`;
    return e;
  };
  /** f64x2 Horner for taps 2i, 2i + 1 (u splatted in the v128 local `us`); never fused, so the
   * kernel values do not depend on `fma`. */
  const hornerPair = (cell: string, us: string, i: number) => {
    const c = (d: number) =>
      `(v128.load offset=${8 * (d * w + 2 * i)} align=8 (i32.add (local.get $coeffs) (local.get ${cell})))`;
    let e = c(degree);
    for (let d = degree - 1; d >= 0; d--) e = `(f64x2.add (f64x2.mul ${e} (local.get ${us})) ${c(d)})`;
    return e;
  };
  const LOW = '0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7';
  const HIGH = '8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15';
  /** $f_k = (φ_k, φ_k) for every tap from the pairs (1D, and axis 1 of 2D). */
  const splatTaps = (cell: string, u: string) => {
    emit(`(local.set $ux (f64x2.splat (local.get ${u})))`);
    for (let i = 0; i < pairs; i++) {
      emit(`(local.set $p${i} ${hornerPair(cell, '$ux', i)})`);
      emit(`(local.set $f${2 * i} (i8x16.shuffle ${LOW} (local.get $p${i}) (local.get $p${i})))`);
      emit(`(local.set $f${2 * i + 1} (i8x16.shuffle ${HIGH} (local.get $p${i}) (local.get $p${i})))`);
    }
    if (w % 2) emit(`(local.set $f${w - 1} (f64x2.splat ${horner(cell, u, w - 1)}))`);
  };
  const tap = (k: number, q: number) => 16 * (k * kk + q);
  const tree = (terms: string[]): string => {
    if (terms.length === 1) return terms[0];
    const h = terms.length >> 1;
    return `(f64x2.add ${tree(terms.slice(0, h))} ${tree(terms.slice(h))})`;
  };
  const load = (k: number, q: number) => `(v128.load offset=${tap(k, q)} (local.get $l))`;
  /**
   * Σ_k f_k · pad[l + tap(k, q)]. Unfused: a balanced tree (wasm keeps the order of additions).
   * Fused: two chains of multiply-adds (even and odd taps), then their sum.
   */
  const rowSum = (q: number) => {
    if (!fma)
      return tree(Array.from({ length: w }, (_, k) => `(f64x2.mul (local.get $f${k}) ${load(k, q)})`));
    const chain = (first: number) => {
      let e = `(f64x2.mul (local.get $f${first}) ${load(first, q)})`;
      for (let k = first + 2; k < w; k += 2) e = madd(`(local.get $f${k})`, load(k, q), e);
      return e;
    };
    return w === 1 ? chain(0) : `(f64x2.add ${chain(0)} ${chain(1)})`;
  };
  /** pad[l + tap(k, q)] += scale · f_k for every tap k. */
  const addRow = (q: number, scale: string) => {
    for (let k = 0; k < w; k++) {
      const o = tap(k, q);
      emit(
        `(v128.store offset=${o} (local.get $l) ${madd(`(local.get ${scale})`, `(local.get $f${k})`, load(k, q))})`,
      );
    }
  };

  if (dim === 2) emit(`(local.set $stride (i32.mul (local.get $cols) (i32.const ${16 * kk})))`);
  emit('(local.set $j (local.get $from))');
  emit('(block $done (loop $points');
  emit('(br_if $done (i32.ge_s (local.get $j) (local.get $to)))');
  emit(sorted ? `(local.set $jv (i32.load ${at('order', 2)}))` : '(local.set $jv (local.get $j))');
  emit(`(local.set $c0 (i32.shl (i32.load ${at('cell0', 2)}) (i32.const 3)))`);
  emit(`(local.set $x0 (f64.load ${at('u0', 3)}))`);
  const value = (q: number) => at(`v${q}`, 4, '$jv');
  if (dim === 1) {
    splatTaps('$c0', '$x0');
    emit(
      `(local.set $l (i32.add (local.get $pad) (i32.mul (i32.load ${at('base0', 2)}) (i32.const ${16 * kk}))))`,
    );
    for (let q = 0; q < kk; q++) {
      if (kind === 'spread') {
        emit(`(local.set $cv${q} (v128.load ${value(q)}))`);
        addRow(q, `$cv${q}`);
      } else {
        emit(`(v128.store ${value(q)} ${rowSum(q)})`);
      }
    }
  } else {
    emit(`(local.set $c1 (i32.shl (i32.load ${at('cell1', 2)}) (i32.const 3)))`);
    emit(`(local.set $x1 (f64.load ${at('u1', 3)}))`);
    // axis 0: the row scratch, pairs stored whole
    emit('(local.set $ux (f64x2.splat (local.get $x0)))');
    for (let i = 0; i < pairs; i++)
      emit(`(v128.store offset=${16 * i} (local.get $row) ${hornerPair('$c0', '$ux', i)})`);
    if (w % 2) emit(`(f64.store offset=${8 * (w - 1)} (local.get $row) ${horner('$c0', '$x0', w - 1)})`);
    splatTaps('$c1', '$x1');
    emit(
      `(local.set $l (i32.add (local.get $pad) (i32.mul (i32.add (i32.mul (i32.load ${at('base0', 2)}) (local.get $cols)) (i32.load ${at('base1', 2)})) (i32.const ${16 * kk}))))`,
    );
    for (let q = 0; q < kk; q++) {
      emit(
        kind === 'spread'
          ? `(local.set $cv${q} (v128.load ${value(q)}))`
          : `(local.set $acc${q} (v128.const f64x2 0 0))`,
      );
    }
    // the w rows in a loop (unrolled they measured slower: too much code), the taps unrolled
    emit('(local.set $k0 (i32.const 0))');
    emit('(loop $rows');
    emit(
      '(local.set $gg (f64x2.splat (f64.load (i32.add (local.get $row) (i32.shl (local.get $k0) (i32.const 3))))))',
    );
    for (let q = 0; q < kk; q++) {
      if (kind === 'spread') {
        emit(`(local.set $t (f64x2.mul (local.get $gg) (local.get $cv${q})))`);
        addRow(q, '$t');
      } else {
        emit(`(local.set $acc${q} ${madd('(local.get $gg)', rowSum(q), `(local.get $acc${q})`)})`);
      }
    }
    emit('(local.set $l (i32.add (local.get $l) (local.get $stride)))');
    emit(`(br_if $rows (i32.lt_s (local.tee $k0 (i32.add (local.get $k0) (i32.const 1))) (i32.const ${w})))`);
    emit(')');
    if (kind === 'interp') for (let q = 0; q < kk; q++) emit(`(v128.store ${value(q)} (local.get $acc${q}))`);
  }
  emit('(local.set $j (i32.add (local.get $j) (i32.const 1)))');
  emit('(br $points)))');
  emit('))');
  const key = `wasm/${kind}/${dim}/${w}/${degree}/${kk}${sorted ? '/sorted' : ''}${fma ? '/fma' : ''}`;
  return { key, text: lines.join('\n'), params, relaxed: fma };
}

/**
 * locatePoints (points.ts) as a wasm loop, the same operations in the same order (so the same
 * results), two points at a time in f64x2 lanes (an odd last point alone): `run(from, to, x, base, cell, u, factor, stride,
 * axis, fine, width, intervals, cellSize)`, arrays as byte offsets, factor f64, the rest i32.
 *
 * @example
 * locateSource().params; // ['x', 'base', 'cell', 'u', 'factor', 'stride', 'axis', 'fine', 'width', 'intervals', 'cellSize']
 */
export function locateSource(): WatSource {
  const params = [
    'x',
    'base',
    'cell',
    'u',
    'factor',
    'stride',
    'axis',
    'fine',
    'width',
    'intervals',
    'cellSize',
  ];
  const type = (p: string) => (p === 'factor' ? 'f64' : 'i32');
  const text = `(module
(import "env" "memory" (memory 1 65536 shared))
(func (export "run") (param $from i32) (param $to i32) ${params.map((p) => `(param $${p} ${type(p)})`).join(' ')}
(local $j i32) (local $t f64) (local $lo f64) (local $b f64) (local $y f64) (local $s i32)
(local $scale f64) (local $half f64) (local $m f64) (local $inverse f64) (local $S f64)
(local $vt v128) (local $vlo v128) (local $vb v128) (local $vy v128) (local $vs v128)
(local $vfactor v128) (local $vm v128) (local $vinverse v128) (local $vhalf v128) (local $vS v128)
(local.set $scale (f64.div (f64.convert_i32_s (local.get $fine)) (f64.const ${2 * Math.PI})))
(local.set $half (f64.div (f64.convert_i32_s (local.get $width)) (f64.const 2)))
(local.set $m (f64.convert_i32_s (local.get $fine)))
(local.set $inverse (f64.div (f64.const 1) (local.get $m)))
(local.set $S (f64.convert_i32_s (local.get $intervals)))
(local.set $j (local.get $from))

(local.set $vfactor (f64x2.splat (local.get $factor)))
(local.set $vm (f64x2.splat (local.get $m)))
(local.set $vinverse (f64x2.splat (local.get $inverse)))
(local.set $vhalf (f64x2.splat (local.get $half)))
(local.set $vS (f64x2.splat (local.get $S)))
(block $pairsDone (loop $pairs
  (br_if $pairsDone (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $to)))
  (local.set $vt (f64x2.replace_lane 1
    (f64x2.splat (f64.load (i32.add (local.get $x)
      (i32.shl (i32.add (i32.mul (local.get $j) (local.get $stride)) (local.get $axis)) (i32.const 3)))))
    (f64.load (i32.add (local.get $x)
      (i32.shl (i32.add (i32.mul (i32.add (local.get $j) (i32.const 1)) (local.get $stride)) (local.get $axis)) (i32.const 3))))))
  (local.set $vt (f64x2.mul (f64x2.mul (local.get $vt) (local.get $vfactor)) (f64x2.splat (local.get $scale))))
  (local.set $vt (f64x2.sub (local.get $vt) (f64x2.mul (local.get $vm) (f64x2.floor (f64x2.mul (local.get $vt) (local.get $vinverse))))))
  (local.set $vt (v128.bitselect (f64x2.sub (local.get $vt) (local.get $vm)) (local.get $vt) (f64x2.ge (local.get $vt) (local.get $vm))))
  (local.set $vt (v128.bitselect (f64x2.add (local.get $vt) (local.get $vm)) (local.get $vt) (f64x2.lt (local.get $vt) (v128.const f64x2 0 0))))
  (local.set $vlo (f64x2.sub (local.get $vt) (local.get $vhalf)))
  (local.set $vb (f64x2.ceil (local.get $vlo)))
  (local.set $vy (f64x2.mul (f64x2.sub (local.get $vb) (local.get $vlo)) (local.get $vS)))
  (local.set $vs (i32x4.min_s (i32x4.trunc_sat_f64x2_s_zero (local.get $vy)) (i32x4.splat (i32.sub (local.get $intervals) (i32.const 1)))))
  (v128.store64_lane 0 (i32.add (local.get $base) (i32.shl (local.get $j) (i32.const 2)))
    (i32x4.add (i32x4.trunc_sat_f64x2_s_zero (local.get $vb)) (i32x4.splat (local.get $width))))
  (v128.store64_lane 0 (i32.add (local.get $cell) (i32.shl (local.get $j) (i32.const 2)))
    (i32x4.mul (local.get $vs) (i32x4.splat (local.get $cellSize))))
  (v128.store align=8 (i32.add (local.get $u) (i32.shl (local.get $j) (i32.const 3)))
    (f64x2.sub (f64x2.mul (v128.const f64x2 2 2) (f64x2.sub (local.get $vy) (f64x2.convert_low_i32x4_s (local.get $vs)))) (v128.const f64x2 1 1)))
  (local.set $j (i32.add (local.get $j) (i32.const 2)))
  (br $pairs)))
(block $done (loop $points
  (br_if $done (i32.ge_s (local.get $j) (local.get $to)))
  (local.set $t (f64.mul (f64.mul (f64.load (i32.add (local.get $x)
      (i32.shl (i32.add (i32.mul (local.get $j) (local.get $stride)) (local.get $axis)) (i32.const 3))))
    (local.get $factor)) (local.get $scale)))
  (local.set $t (f64.sub (local.get $t) (f64.mul (local.get $m) (f64.floor (f64.mul (local.get $t) (local.get $inverse))))))
  (if (f64.ge (local.get $t) (local.get $m)) (then (local.set $t (f64.sub (local.get $t) (local.get $m))))
    (else (if (f64.lt (local.get $t) (f64.const 0)) (then (local.set $t (f64.add (local.get $t) (local.get $m)))))))
  (local.set $lo (f64.sub (local.get $t) (local.get $half)))
  (local.set $b (f64.ceil (local.get $lo)))
  (local.set $y (f64.mul (f64.sub (local.get $b) (local.get $lo)) (local.get $S)))
  (local.set $s (i32.trunc_sat_f64_s (local.get $y)))
  (if (i32.ge_s (local.get $s) (local.get $intervals)) (then (local.set $s (i32.sub (local.get $intervals) (i32.const 1)))))
  (i32.store (i32.add (local.get $base) (i32.shl (local.get $j) (i32.const 2)))
    (i32.add (i32.trunc_sat_f64_s (local.get $b)) (local.get $width)))
  (i32.store (i32.add (local.get $cell) (i32.shl (local.get $j) (i32.const 2))) (i32.mul (local.get $s) (local.get $cellSize)))
  (f64.store (i32.add (local.get $u) (i32.shl (local.get $j) (i32.const 3)))
    (f64.sub (f64.mul (f64.const 2) (f64.sub (local.get $y) (f64.convert_i32_s (local.get $s)))) (f64.const 1)))
  (local.set $j (i32.add (local.get $j) (i32.const 1)))
  (br $points)))
))`;
  return { key: 'wasm/locate', text, params };
}
