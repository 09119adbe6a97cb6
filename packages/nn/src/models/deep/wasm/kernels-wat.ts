/**
 * The deep FF engine's kernels as WebAssembly text (128-bit SIMD, float32, one imported shared
 * memory; every array is a byte offset into it, every stride a count of floats):
 *
 * - `gemm(M, N, K, A, sai, sap, B, sbp, sbj, C, ldc, mode, E, lde, pack)`: C = A B (M × N) with
 *   A(i, p) at A + 4(i·sai + p·sap) and B(p, j) at B + 4(p·sbp + j·sbj), so that A B, Aᵀ B and A Bᵀ
 *   are the same call with other strides. B is packed into panels of 8 columns (zero-padded), each
 *   MR-row tile of A into a K × MR panel (`pack` holds both); a register-blocked MR × 8 micro-kernel
 *   of f32x4 accumulators runs over the packed panels, with f32x4.relaxed_madd when `fma`. `mode`:
 *   bit 5 skips packing B (packed by this thread's previous call on the same B: the product split
 *   into row ranges), bit 3 adds the old C, bit 4 the row vector at E (a bias, lde 0); bits 0–2 apply 1 tanh, 2 relu, 3 ⊙ (1 − E²), 4 ⊙ [E > 0], 5 ⊙ E
 *   (E(i, j) at E + 4(i·lde + j)) on the way out — the forward's activation and the backward's
 *   σ'(z) ⊙ δ fused into the product's store.
 * - `tanh(n, x, y)`: y = tanh x elementwise (the same vector tanh as the epilogue).
 * - `embed(from, to, x, dim, W, m, H, ld)`: rows [from, to) of H = [cos θ, sin θ], θ = x Wᵀ.
 * - `wgrad(from, to, n, x, dim, H, ld, m, D, ldd, G)`: ∂L/∂W_j for j in [from, to) (from a
 *   multiple of 4) from D = ∂L/∂[cos θ, sin θ] over all n points.
 * - `sinact(rows, cols, Z, ldz, H, ldh)`: H = sin Z and Z ← cos Z.
 * - `colsum(rows, cols, D, ldd, out)`: out(j) = Σ_i D(i, j), summed in row order.
 * - `residual(from, to, f, g, u, e, scalars)`: u = f − g, e = h^d u; Σu² (f64) into scalars + 8.
 * - `sgd(count, w, g, scalars)`, `adam(count, w, g, m, v, scalars)`: tfjs's updates, same f32 ops.
 */

/**
 * Rows of the GEMM's micro-kernel (its columns are 8: two f32x4): 4 × 8 reached 22–25 GFLOP/s on one
 * core here (512 × 256 × 512, relaxed SIMD); 5 and 6 rows were slower (16–19), 8 slower still.
 */
export const GEMM_MR = 4;
/** Steps of the micro-kernel's K loop per iteration (2, 4 and 8 measured slower than 1 here). */
export const UNROLL = 1;
/** Whether the 4-row micro-kernel loads A's column as one vector and splats its lanes by shuffles. */
export const SHUFFLE_A = false;
/** Columns of a packed B panel. */
export const GEMM_NR = 8;

/**
 * The bytes of `pack` a gemm with inner dimension K and N columns needs (A's tile, then B's panels).
 *
 * @example
 * gemmPackBytes(512, 256); // 8192 + 524288 + 64
 */
export function gemmPackBytes(k: number, n: number): number {
  const a = Math.ceil((4 * k * GEMM_MR) / 16) * 16;
  return a + 4 * k * GEMM_NR * Math.ceil(n / GEMM_NR) + 64;
}

const v0 = '(v128.const i32x4 0 0 0 0)';
const f4 = (x: number) => `(f32x4.splat (f32.const ${x}))`;
const get = (name: string) => `(local.get $${name})`;
/** Σ_k coeffs[k] x^k by Horner's rule (x an expression). */
const horner = (x: string, coeffs: readonly number[]): string =>
  coeffs.reduceRight(
    (acc, c, k) => (k === coeffs.length - 1 ? f4(c) : `(f32x4.add ${f4(c)} (f32x4.mul ${x} ${acc}))`),
    '',
  );

/**
 * The module's text; `fma` selects f32x4.relaxed_madd for the micro-kernel's multiply-adds (else
 * f32x4.mul then f32x4.add: plain SIMD, for runtimes without relaxed SIMD).
 *
 * @example
 * const wat = kernelsWat(false); // compile with wabt's parseWat(…, { simd: true, threads: true })
 */
export function kernelsWat(fma: boolean, mr = GEMM_MR, unroll = UNROLL, shuffleA = SHUFFLE_A): string {
  const madd = (a: string, b: string, c: string) =>
    fma ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add ${c} (f32x4.mul ${a} ${b}))`;
  const out: string[] = [];
  const emit = (s: string) => out.push(s);
  emit('(module');
  emit('(import "env" "memory" (memory 1 65536 shared))');
  emit('(global $cosOut (mut v128) (v128.const i32x4 0 0 0 0))');

  emit(`(func $tanh4 (param $x v128) (result v128) ${tanhLocals('')}
  ${tanhCode('x', '')}
  (local.get $th))`);
  // tanh in place on rows × cols floats of C (row stride ld), two vectors per step
  emit(`(func $tanhRows (param $c i32) (param $ld i32) (param $rows i32) (param $cols i32)
  (local $i i32) (local $j i32) (local $p i32) (local $x0 v128) (local $x1 v128) ${tanhLocals('0')} ${tanhLocals('1')}
  (block $idone (loop $inext
    (br_if $idone (i32.ge_s ${get('i')} ${get('rows')}))
    (local.set $p (i32.add ${get('c')} (i32.shl (i32.mul ${get('i')} ${get('ld')}) (i32.const 2))))
    (local.set $j (i32.const 0))
    (block $jdone (loop $jnext
      (br_if $jdone (i32.gt_s (i32.add ${get('j')} (i32.const 8)) ${get('cols')}))
      (local.set $x0 (v128.load ${get('p')}))
      (local.set $x1 (v128.load offset=16 ${get('p')}))
      ${tanhCode('x0', '0')}
      ${tanhCode('x1', '1')}
      (v128.store ${get('p')} ${get('th0')})
      (v128.store offset=16 ${get('p')} ${get('th1')})
      (local.set $p (i32.add ${get('p')} (i32.const 32)))
      (local.set $j (i32.add ${get('j')} (i32.const 8)))
      (br $jnext)))
    (block $jdone (loop $jnext
      (br_if $jdone (i32.ge_s ${get('j')} ${get('cols')}))
      (call $storePart ${get('p')} (call $tanh4 (v128.load ${get('p')})) (i32.sub ${get('cols')} ${get('j')}))
      (local.set $p (i32.add ${get('p')} (i32.const 16)))
      (local.set $j (i32.add ${get('j')} (i32.const 4)))
      (br $jnext)))
    (local.set $i (i32.add ${get('i')} (i32.const 1)))
    (br $inext))))`);
  // sin θ (returned) and cos θ (into $cosOut): θ − q π/2 in three parts (Cody–Waite), Taylor
  // polynomials on |r| ≤ π/4, the quadrant q mod 4 by swaps and signs
  emit(`(func $sincos (param $t v128) (result v128) (local $q v128) (local $qi v128) (local $r v128)
  (local $r2 v128) (local $s v128) (local $c v128) (local $swap v128)
  (local.set $q (f32x4.nearest (f32x4.mul ${get('t')} ${f4(2 / Math.PI)})))
  (local.set $qi (i32x4.trunc_sat_f32x4_s ${get('q')}))
  (local.set $r (f32x4.sub (f32x4.sub (f32x4.sub ${get('t')} (f32x4.mul ${get('q')} ${f4(1.5703125)}))
    (f32x4.mul ${get('q')} ${f4(4.837512969970703e-4)})) (f32x4.mul ${get('q')} ${f4(7.549789948768648e-8)})))
  (local.set $r2 (f32x4.mul ${get('r')} ${get('r')}))
  (local.set $s (f32x4.add ${get('r')} (f32x4.mul (f32x4.mul ${get('r')} ${get('r2')})
    ${horner(get('r2'), [-1 / 6, 1 / 120, -1 / 5040, 1 / 362880])})))
  (local.set $c ${horner(get('r2'), [1, -1 / 2, 1 / 24, -1 / 720, 1 / 40320, -1 / 3628800])})
  (local.set $swap (i32x4.ne (v128.and ${get('qi')} (i32x4.splat (i32.const 1))) ${v0}))
  (global.set $cosOut (v128.xor (v128.bitselect ${get('s')} ${get('c')} ${get('swap')})
    (i32x4.shl (v128.and (i32x4.add ${get('qi')} (i32x4.splat (i32.const 1))) (i32x4.splat (i32.const 2))) (i32.const 30))))
  (v128.xor (v128.bitselect ${get('c')} ${get('s')} ${get('swap')})
    (i32x4.shl (v128.and ${get('qi')} (i32x4.splat (i32.const 2))) (i32.const 30))))`);
  // the first n (≤ 4 used) lanes of v at p
  emit(`(func $storePart (param $p i32) (param $v v128) (param $n i32)
  (if (i32.ge_s ${get('n')} (i32.const 4)) (then (v128.store ${get('p')} ${get('v')}) (return)))
  (if (i32.le_s ${get('n')} (i32.const 0)) (then (return)))
  (f32.store ${get('p')} (f32x4.extract_lane 0 ${get('v')}))
  (if (i32.le_s ${get('n')} (i32.const 1)) (then (return)))
  (f32.store offset=4 ${get('p')} (f32x4.extract_lane 1 ${get('v')}))
  (if (i32.le_s ${get('n')} (i32.const 2)) (then (return)))
  (f32.store offset=8 ${get('p')} (f32x4.extract_lane 2 ${get('v')})))`);
  // the gemm's epilogue for one vector of n (≤ 4 used) lanes
  emit(`(func $epilogue (param $v v128) (param $c i32) (param $e i32) (param $mode i32) (param $n i32) (result v128)
  (local $post i32) (local $x v128)
  (if (i32.le_s ${get('n')} (i32.const 0)) (then (return ${get('v')})))
  (if (i32.and ${get('mode')} (i32.const 8)) (then (local.set $v (f32x4.add ${get('v')} (v128.load ${get('c')})))))
  (if (i32.and ${get('mode')} (i32.const 16)) (then (local.set $v (f32x4.add ${get('v')} (v128.load ${get('e')})))))
  (local.set $post (i32.and ${get('mode')} (i32.const 7)))
  (if (i32.eqz ${get('post')}) (then (return ${get('v')})))
  (if (i32.eq ${get('post')} (i32.const 1)) (then (return (call $tanh4 ${get('v')}))))
  (if (i32.eq ${get('post')} (i32.const 2)) (then (return (f32x4.max ${get('v')} ${v0}))))
  (local.set $x (v128.load ${get('e')}))
  (if (i32.eq ${get('post')} (i32.const 3))
    (then (return (f32x4.mul ${get('v')} (f32x4.sub ${f4(1)} (f32x4.mul ${get('x')} ${get('x')}))))))
  (if (i32.eq ${get('post')} (i32.const 4))
    (then (return (v128.and ${get('v')} (f32x4.gt ${get('x')} ${v0})))))
  (f32x4.mul ${get('v')} ${get('x')}))`);

  gemm(emit, mr, madd, unroll, shuffleA);

  emit(`(func (export "tanh") (param $n i32) (param $x i32) (param $y i32)
  (memory.copy ${get('y')} ${get('x')} (i32.shl ${get('n')} (i32.const 2)))
  (call $tanhRows ${get('y')} ${get('n')} (i32.const 1) ${get('n')}))`);

  // j-blocks of 4 frequencies outside (their W rows in registers), points inside
  emit(`(func (export "embed") (param $from i32) (param $to i32) (param $x i32) (param $dim i32) (param $w i32)
  (param $m i32) (param $h i32) (param $ld i32)
  (local $j i32) (local $i i32) (local $k i32) (local $w0 v128) (local $w1 v128) (local $t v128) (local $s v128)
  (local $row i32) (local $left i32)
  (block $jdone (loop $jnext
    (br_if $jdone (i32.ge_s ${get('j')} ${get('m')}))
    (local.set $left (i32.sub ${get('m')} ${get('j')}))
    ${lanes('w0', (c) => `(f32.load (i32.add ${get('w')} (i32.shl (i32.mul ${clampIndex(c)} ${get('dim')}) (i32.const 2))))`)}
    (if (i32.eq ${get('dim')} (i32.const 2)) (then
      ${lanes('w1', (c) => `(f32.load offset=4 (i32.add ${get('w')} (i32.shl (i32.mul ${clampIndex(c)} (i32.const 2)) (i32.const 2))))`)}))
    (local.set $i ${get('from')})
    (block $idone (loop $inext
      (br_if $idone (i32.ge_s ${get('i')} ${get('to')}))
      (local.set $k (i32.add ${get('x')} (i32.shl (i32.mul ${get('i')} ${get('dim')}) (i32.const 2))))
      (local.set $t (f32x4.mul (v128.load32_splat ${get('k')}) ${get('w0')}))
      (if (i32.eq ${get('dim')} (i32.const 2)) (then
        (local.set $t (f32x4.add ${get('t')} (f32x4.mul (v128.load32_splat offset=4 ${get('k')}) ${get('w1')})))))
      (local.set $s (call $sincos ${get('t')}))
      (local.set $row (i32.add ${get('h')} (i32.shl (i32.add (i32.mul ${get('i')} ${get('ld')}) ${get('j')}) (i32.const 2))))
      (if (i32.ge_s ${get('left')} (i32.const 4))
        (then
          (v128.store ${get('row')} (global.get $cosOut))
          (v128.store (i32.add ${get('row')} (i32.shl ${get('m')} (i32.const 2))) ${get('s')}))
        (else
          (call $storePart ${get('row')} (global.get $cosOut) ${get('left')})
          (call $storePart (i32.add ${get('row')} (i32.shl ${get('m')} (i32.const 2))) ${get('s')} ${get('left')})))
      (local.set $i (i32.add ${get('i')} (i32.const 1)))
      (br $inext)))
    (local.set $j (i32.add ${get('j')} (i32.const 4)))
    (br $jnext))))`);

  emit(`(func (export "wgrad") (param $from i32) (param $to i32) (param $n i32) (param $x i32) (param $dim i32)
  (param $h i32) (param $ld i32) (param $m i32) (param $d i32) (param $ldd i32) (param $g i32)
  (local $j i32) (local $i i32) (local $k i32) (local $a0 v128) (local $a1 v128) (local $t v128)
  (local $hp i32) (local $dp i32) (local $left i32)
  (local.set $j ${get('from')})
  (block $jdone (loop $jnext
    (br_if $jdone (i32.ge_s ${get('j')} ${get('to')}))
    (local.set $a0 ${v0}) (local.set $a1 ${v0}) (local.set $i (i32.const 0))
    (block $idone (loop $inext
      (br_if $idone (i32.ge_s ${get('i')} ${get('n')}))
      (local.set $hp (i32.add ${get('h')} (i32.shl (i32.add (i32.mul ${get('i')} ${get('ld')}) ${get('j')}) (i32.const 2))))
      (local.set $dp (i32.add ${get('d')} (i32.shl (i32.add (i32.mul ${get('i')} ${get('ldd')}) ${get('j')}) (i32.const 2))))
      (local.set $k (i32.shl ${get('m')} (i32.const 2)))
      (local.set $t (f32x4.sub
        (f32x4.mul (v128.load ${get('hp')}) (v128.load (i32.add ${get('dp')} ${get('k')})))
        (f32x4.mul (v128.load (i32.add ${get('hp')} ${get('k')})) (v128.load ${get('dp')}))))
      (local.set $k (i32.add ${get('x')} (i32.shl (i32.mul ${get('i')} ${get('dim')}) (i32.const 2))))
      (local.set $a0 (f32x4.add ${get('a0')} (f32x4.mul ${get('t')} (v128.load32_splat ${get('k')}))))
      (if (i32.eq ${get('dim')} (i32.const 2)) (then
        (local.set $a1 (f32x4.add ${get('a1')} (f32x4.mul ${get('t')} (v128.load32_splat offset=4 ${get('k')}))))))
      (local.set $i (i32.add ${get('i')} (i32.const 1)))
      (br $inext)))
    (local.set $left (i32.sub ${get('to')} ${get('j')}))
    (if (i32.eq ${get('dim')} (i32.const 1))
      (then (call $storePart (i32.add ${get('g')} (i32.shl ${get('j')} (i32.const 2))) ${get('a0')} ${get('left')}))
      (else
        (local.set $k (i32.add ${get('g')} (i32.shl ${get('j')} (i32.const 3))))
        ${[0, 1, 2, 3]
          .map(
            (c) => `(if (i32.gt_s ${get('left')} (i32.const ${c})) (then
          (f32.store offset=${8 * c} ${get('k')} (f32x4.extract_lane ${c} ${get('a0')}))
          (f32.store offset=${8 * c + 4} ${get('k')} (f32x4.extract_lane ${c} ${get('a1')}))))`,
          )
          .join('\n')}))
    (local.set $j (i32.add ${get('j')} (i32.const 4)))
    (br $jnext))))`);

  // out(j) = Σ_i D(i, j) over rows, in row order (the bias gradients 1ᵀ δ)
  emit(`(func (export "colsum") (param $rows i32) (param $cols i32) (param $d i32) (param $ld i32) (param $out i32)
  (local $i i32) (local $j i32) (local $p i32) (local $acc v128) (local $ldb i32)
  (local.set $ldb (i32.shl ${get('ld')} (i32.const 2)))
  (block $jdone (loop $jnext
    (br_if $jdone (i32.ge_s ${get('j')} ${get('cols')}))
    (local.set $acc ${v0})
    (local.set $p (i32.add ${get('d')} (i32.shl ${get('j')} (i32.const 2))))
    (local.set $i ${get('rows')})
    (block $idone (loop $inext
      (br_if $idone (i32.eqz ${get('i')}))
      (local.set $acc (f32x4.add ${get('acc')} (v128.load ${get('p')})))
      (local.set $p (i32.add ${get('p')} ${get('ldb')}))
      (local.set $i (i32.sub ${get('i')} (i32.const 1)))
      (br $inext)))
    (call $storePart (i32.add ${get('out')} (i32.shl ${get('j')} (i32.const 2))) ${get('acc')} (i32.sub ${get('cols')} ${get('j')}))
    (local.set $j (i32.add ${get('j')} (i32.const 4)))
    (br $jnext))))`);

  emit(`(func (export "sinact") (param $rows i32) (param $cols i32) (param $z i32) (param $ldz i32) (param $h i32)
  (param $ldh i32) (local $i i32) (local $j i32) (local $zp i32) (local $s v128)
  (block $idone (loop $inext
    (br_if $idone (i32.ge_s ${get('i')} ${get('rows')}))
    (local.set $j (i32.const 0))
    (block $jdone (loop $jnext
      (br_if $jdone (i32.ge_s ${get('j')} ${get('cols')}))
      (local.set $zp (i32.add ${get('z')} (i32.shl (i32.add (i32.mul ${get('i')} ${get('ldz')}) ${get('j')}) (i32.const 2))))
      (local.set $s (call $sincos (v128.load ${get('zp')})))
      (call $storePart (i32.add ${get('h')} (i32.shl (i32.add (i32.mul ${get('i')} ${get('ldh')}) ${get('j')}) (i32.const 2)))
        ${get('s')} (i32.sub ${get('cols')} ${get('j')}))
      (call $storePart ${get('zp')} (global.get $cosOut) (i32.sub ${get('cols')} ${get('j')}))
      (local.set $j (i32.add ${get('j')} (i32.const 4)))
      (br $jnext)))
    (local.set $i (i32.add ${get('i')} (i32.const 1)))
    (br $inext))))`);

  emit(`(func (export "residual") (param $from i32) (param $to i32) (param $f i32) (param $g i32) (param $u i32)
  (param $e i32) (param $s i32) (local $i i32) (local $k i32) (local $r f32) (local $sum f64)
  (local.set $i ${get('from')})
  (block $done (loop $next
    (br_if $done (i32.ge_s ${get('i')} ${get('to')}))
    (local.set $k (i32.shl ${get('i')} (i32.const 2)))
    (local.set $r (f32.sub (f32.load (i32.add ${get('f')} ${get('k')})) (f32.load (i32.add ${get('g')} ${get('k')}))))
    (f32.store (i32.add ${get('u')} ${get('k')}) ${get('r')})
    (f32.store (i32.add ${get('e')} ${get('k')}) (f32.mul (f32.load ${get('s')}) ${get('r')}))
    (local.set $sum (f64.add ${get('sum')} (f64.mul (f64.promote_f32 ${get('r')}) (f64.promote_f32 ${get('r')}))))
    (local.set $i (i32.add ${get('i')} (i32.const 1)))
    (br $next)))
  (f64.store offset=8 ${get('s')} ${get('sum')}))`);

  // tfjs's sgd: w + (−η) g; its adam (adam_optimizer.js) op by op, scalars
  // [−η, β1, 1 − β1, β2, 1 − β2, 1 − β1^t, 1 − β2^t, ε]
  const update = (name: string, params: string, vector: string, scalar: string) =>
    emit(`(func (export "${name}") (param $count i32) ${params} (local $i i32) (local $k i32)
  (local $nw v128) (local $b1 v128) (local $c1 v128) (local $b2 v128) (local $c2 v128) (local $o1 v128) (local $o2 v128) (local $ep v128)
  (local $gv v128) (local $mv v128) (local $vv v128) (local $gs f32) (local $ms f32) (local $vs f32)
  ${['nw', 'b1', 'c1', 'b2', 'c2', 'o1', 'o2', 'ep'].map((l, k) => `(local.set $${l} (v128.load32_splat offset=${4 * k} ${get('s')}))`).join(' ')}
  (block $done (loop $next
    (br_if $done (i32.gt_s (i32.add ${get('i')} (i32.const 4)) ${get('count')}))
    (local.set $k (i32.shl ${get('i')} (i32.const 2)))
    ${vector}
    (local.set $i (i32.add ${get('i')} (i32.const 4)))
    (br $next)))
  (block $done (loop $next
    (br_if $done (i32.ge_s ${get('i')} ${get('count')}))
    (local.set $k (i32.shl ${get('i')} (i32.const 2)))
    ${scalar}
    (local.set $i (i32.add ${get('i')} (i32.const 1)))
    (br $next))))`);
  const at = (a: string) => `(i32.add ${get(a)} ${get('k')})`;
  update(
    'sgd',
    '(param $w i32) (param $g i32) (param $s i32)',
    `(v128.store ${at('w')} (f32x4.add (f32x4.mul ${get('nw')} (v128.load ${at('g')})) (v128.load ${at('w')})))`,
    `(f32.store ${at('w')} (f32.add (f32.mul (f32x4.extract_lane 0 ${get('nw')}) (f32.load ${at('g')})) (f32.load ${at('w')})))`,
  );
  const lane = (v: string) => `(f32x4.extract_lane 0 ${get(v)})`;
  update(
    'adam',
    '(param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $s i32)',
    `(local.set $gv (v128.load ${at('g')}))
    (local.set $mv (f32x4.add (f32x4.mul (v128.load ${at('m')}) ${get('b1')}) (f32x4.mul ${get('gv')} ${get('c1')})))
    (local.set $vv (f32x4.add (f32x4.mul (v128.load ${at('v')}) ${get('b2')}) (f32x4.mul (f32x4.mul ${get('gv')} ${get('gv')}) ${get('c2')})))
    (v128.store ${at('m')} ${get('mv')}) (v128.store ${at('v')} ${get('vv')})
    (v128.store ${at('w')} (f32x4.add (f32x4.mul (f32x4.div (f32x4.div ${get('mv')} ${get('o1')})
      (f32x4.add (f32x4.sqrt (f32x4.div ${get('vv')} ${get('o2')})) ${get('ep')})) ${get('nw')}) (v128.load ${at('w')})))`,
    `(local.set $gs (f32.load ${at('g')}))
    (local.set $ms (f32.add (f32.mul (f32.load ${at('m')}) ${lane('b1')}) (f32.mul ${get('gs')} ${lane('c1')})))
    (local.set $vs (f32.add (f32.mul (f32.load ${at('v')}) ${lane('b2')}) (f32.mul (f32.mul ${get('gs')} ${get('gs')}) ${lane('c2')})))
    (f32.store ${at('m')} ${get('ms')}) (f32.store ${at('v')} ${get('vs')})
    (f32.store ${at('w')} (f32.add (f32.mul (f32.div (f32.div ${get('ms')} ${lane('o1')})
      (f32.add (f32.sqrt (f32.div ${get('vs')} ${lane('o2')})) ${lane('ep')})) ${lane('nw')}) (f32.load ${at('w')})))`,
  );
  emit(')');
  return out.join('\n');
}

/** The locals of {@link tanhCode} with suffix s. */
function tanhLocals(s: string): string {
  return ['a', 'x2', 'n', 'f', 't', 'h'].map((l) => `(local $t${l}${s} v128)`).join(' ');
}

/**
 * Statements setting $th{s} = tanh of local $x: x p(x²)/q(x²) on x clamped to ±7.905 (tanh is 1 in
 * float32 beyond), p of degree 6 and q of degree 3 in x² (Eigen's float tanh coefficients), x itself
 * below |x| = 4·10⁻⁴; within 3.1·10⁻⁷ of tanh in float32 over the whole line (checked on 4·10⁵
 * points against Math.tanh). Inlined (V8 does not inline wasm calls).
 */
function tanhCode(x: string, s: string): string {
  const l = (name: string) => `(local.get $t${name}${s})`;
  const clamp = 7.905311107635498;
  return `(local.set $ta${s} (f32x4.abs (local.get $${x})))
  (local.set $tf${s} (f32x4.max (f32x4.min (local.get $${x}) ${f4(clamp)}) ${f4(-clamp)}))
  (local.set $tx2${s} (f32x4.mul ${l('f')} ${l('f')}))
  (local.set $tt${s} (f32x4.mul ${l('f')} ${horner(l('x2'), [4.89352455891786e-3, 6.37261928875436e-4, 1.48572235717979e-5, 5.12229709037114e-8, -8.60467152213735e-11, 2.00018790482477e-13, -2.76076847742355e-16])}))
  (local.set $tn${s} ${horner(l('x2'), [4.89352518554385e-3, 2.268434632439e-3, 1.18534705686654e-4, 1.19825839466702e-6])})
  (local.set $th${s} (v128.bitselect (local.get $${x}) (f32x4.div ${l('t')} ${l('n')}) (f32x4.lt ${l('a')} ${f4(4e-4)})))`;
}

/** Index j + c clamped to m − 1 (the embedding's last, partial block of frequencies). */
function clampIndex(c: number): string {
  const j = `(i32.add (local.get $j) (i32.const ${c}))`;
  return `(select ${j} (i32.sub (local.get $m) (i32.const 1)) (i32.lt_s ${j} (local.get $m)))`;
}

/** Sets a v128 local from four scalar f32 expressions (lane c from value(c)). */
function lanes(local: string, value: (c: number) => string): string {
  let e = `(f32x4.splat ${value(0)})`;
  for (let c = 1; c < 4; c++) e = `(f32x4.replace_lane ${c} ${e} ${value(c)})`;
  return `(local.set $${local} ${e})`;
}

/** The gemm (see the file's comment). */
function gemm(
  emit: (s: string) => void,
  mr: number,
  madd: (a: string, b: string, c: string) => string,
  unroll: number,
  shuffleA: boolean,
): void {
  const rows = Array.from({ length: mr }, (_, r) => r);
  const accs = rows.flatMap((r) => [`$c${r}0`, `$c${r}1`]);
  emit(`(func (export "gemm") (param $M i32) (param $N i32) (param $K i32) (param $A i32) (param $sai i32)
  (param $sap i32) (param $B i32) (param $sbp i32) (param $sbj i32) (param $C i32) (param $ldc i32) (param $mode i32)
  (param $E i32) (param $lde i32) (param $pack i32)
  (local $bpack i32) (local $np i32) (local $jp i32) (local $j i32) (local $p i32) (local $src i32) (local $dst i32)
  (local $step i32) (local $i0 i32) (local $mr i32) (local $nr i32) (local $ap i32) (local $bp i32) (local $cp i32)
  (local $ep i32) (local $ldcb i32) (local $ldeb i32) (local $panel i32)
  (local $rs i32) (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $a v128) (local $av v128) (local $b0 v128) (local $b1 v128) (local $tin v128) ${tanhLocals('g')} ${accs.map((a) => `(local ${a} v128)`).join(' ')}
  (if (i32.or (i32.le_s ${get('M')} (i32.const 0)) (i32.le_s ${get('N')} (i32.const 0))) (then (return)))
  (local.set $bpack (i32.add ${get('pack')} (i32.and (i32.add (i32.mul ${get('K')} (i32.const ${4 * mr})) (i32.const 15)) (i32.const -16))))
  (local.set $np (i32.shr_u (i32.add ${get('N')} (i32.const 7)) (i32.const 3)))
  (local.set $panel (i32.shl ${get('K')} (i32.const 5)))
  (local.set $ldcb (i32.shl ${get('ldc')} (i32.const 2)))
  (local.set $ldeb (i32.shl ${get('lde')} (i32.const 2)))
  ;; mode bit 5: B is packed already (a later row range of the same product on this thread)
  (if (i32.and ${get('mode')} (i32.const 32)) (then (local.set $jp ${get('np')})))
  (local.set $mode (i32.and ${get('mode')} (i32.const 31)))`);
  // pack B: panel jp holds B(p, 8jp + c) at bpack + 32(jp K + p) + 4c, zero beyond N
  emit(`(block $bdone (loop $bnext
    (br_if $bdone (i32.ge_s ${get('jp')} ${get('np')}))
    (local.set $j (i32.shl ${get('jp')} (i32.const 3)))
    (local.set $step (i32.shl ${get('sbp')} (i32.const 2)))
    (if (i32.and (i32.eq ${get('sbj')} (i32.const 1)) (i32.le_s (i32.add ${get('j')} (i32.const 8)) ${get('N')}))
      (then
        (local.set $src (i32.add ${get('B')} (i32.shl ${get('j')} (i32.const 2))))
        (local.set $dst (i32.add ${get('bpack')} (i32.mul ${get('jp')} ${get('panel')})))
        (local.set $p ${get('K')})
        (block $pdone (loop $pnext
          (br_if $pdone (i32.eqz ${get('p')}))
          (v128.store ${get('dst')} (v128.load ${get('src')}))
          (v128.store offset=16 ${get('dst')} (v128.load offset=16 ${get('src')}))
          (local.set $src (i32.add ${get('src')} ${get('step')}))
          (local.set $dst (i32.add ${get('dst')} (i32.const 32)))
          (local.set $p (i32.sub ${get('p')} (i32.const 1)))
          (br $pnext))))
      (else
        ${Array.from(
          { length: 8 },
          (
            _,
            c,
          ) => `(local.set $src (i32.add ${get('B')} (i32.shl (i32.mul (i32.add ${get('j')} (i32.const ${c})) ${get('sbj')}) (i32.const 2))))
        (local.set $dst (i32.add ${get('bpack')} (i32.add (i32.mul ${get('jp')} ${get('panel')}) (i32.const ${4 * c}))))
        (local.set $p ${get('K')})
        (if (i32.lt_s (i32.add ${get('j')} (i32.const ${c})) ${get('N')})
          (then (block $pdone (loop $pnext
            (br_if $pdone (i32.eqz ${get('p')}))
            (f32.store ${get('dst')} (f32.load ${get('src')}))
            (local.set $src (i32.add ${get('src')} ${get('step')}))
            (local.set $dst (i32.add ${get('dst')} (i32.const 32)))
            (local.set $p (i32.sub ${get('p')} (i32.const 1)))
            (br $pnext))))
          (else (block $pdone (loop $pnext
            (br_if $pdone (i32.eqz ${get('p')}))
            (f32.store ${get('dst')} (f32.const 0))
            (local.set $dst (i32.add ${get('dst')} (i32.const 32)))
            (local.set $p (i32.sub ${get('p')} (i32.const 1)))
            (br $pnext)))))`,
        ).join('\n')}))
    (local.set $jp (i32.add ${get('jp')} (i32.const 1)))
    (br $bnext)))`);
  // row tiles: pack A's tile (A(i0 + r, p) at pack + 4(p mr + r), zero beyond M), then every panel
  const packRow = (r: number) => `(local.set $dst (i32.add ${get('pack')} (i32.const ${4 * r})))
      (local.set $p ${get('K')})
      (if (i32.lt_s (i32.const ${r}) ${get('mr')})
        (then
          (local.set $src (i32.add ${get('A')} (i32.shl (i32.mul (i32.add ${get('i0')} (i32.const ${r})) ${get('sai')}) (i32.const 2))))
          (block $pdone (loop $pnext
            (br_if $pdone (i32.eqz ${get('p')}))
            (f32.store ${get('dst')} (f32.load ${get('src')}))
            (local.set $src (i32.add ${get('src')} ${get('step')}))
            (local.set $dst (i32.add ${get('dst')} (i32.const ${4 * mr})))
            (local.set $p (i32.sub ${get('p')} (i32.const 1)))
            (br $pnext))))
        (else (block $pdone (loop $pnext
            (br_if $pdone (i32.eqz ${get('p')}))
            (f32.store ${get('dst')} (f32.const 0))
            (local.set $dst (i32.add ${get('dst')} (i32.const ${4 * mr})))
            (local.set $p (i32.sub ${get('p')} (i32.const 1)))
            (br $pnext)))))`;
  // A's tile from four rows of contiguous p (sap 1): four vectors of 4 p's each, transposed by shuffles
  const sh = (x: string, y: string, lanes: number[]) =>
    `(i8x16.shuffle ${lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]).join(' ')} ${x} ${y})`;
  const packRowMajor4 = `(if (i32.and (i32.eq ${get('sap')} (i32.const 1)) (i32.eq ${get('mr')} (i32.const 4)))
      (then
        (local.set $rs (i32.shl ${get('sai')} (i32.const 2)))
        (local.set $src (i32.add ${get('A')} (i32.mul ${get('i0')} ${get('rs')})))
        (local.set $dst ${get('pack')})
        (local.set $p ${get('K')})
        (block $pdone (loop $pnext
          (br_if $pdone (i32.lt_s ${get('p')} (i32.const 4)))
          (local.set $v0 (v128.load ${get('src')}))
          (local.set $v1 (v128.load (i32.add ${get('src')} ${get('rs')})))
          (local.set $v2 (v128.load (i32.add ${get('src')} (i32.shl ${get('rs')} (i32.const 1)))))
          (local.set $v3 (v128.load (i32.add ${get('src')} (i32.mul ${get('rs')} (i32.const 3)))))
          (local.set $t0 ${sh(get('v0'), get('v1'), [0, 4, 1, 5])})
          (local.set $t1 ${sh(get('v2'), get('v3'), [0, 4, 1, 5])})
          (local.set $t2 ${sh(get('v0'), get('v1'), [2, 6, 3, 7])})
          (local.set $t3 ${sh(get('v2'), get('v3'), [2, 6, 3, 7])})
          (v128.store ${get('dst')} ${sh(get('t0'), get('t1'), [0, 1, 4, 5])})
          (v128.store offset=16 ${get('dst')} ${sh(get('t0'), get('t1'), [2, 3, 6, 7])})
          (v128.store offset=32 ${get('dst')} ${sh(get('t2'), get('t3'), [0, 1, 4, 5])})
          (v128.store offset=48 ${get('dst')} ${sh(get('t2'), get('t3'), [2, 3, 6, 7])})
          (local.set $src (i32.add ${get('src')} (i32.const 16)))
          (local.set $dst (i32.add ${get('dst')} (i32.const 64)))
          (local.set $p (i32.sub ${get('p')} (i32.const 4)))
          (br $pnext)))
        (block $pdone (loop $pnext
          (br_if $pdone (i32.eqz ${get('p')}))
          ${rows.map((r) => `(f32.store offset=${4 * r} ${get('dst')} (f32.load (i32.add ${get('src')} (i32.mul ${get('rs')} (i32.const ${r})))))`).join(' ')}
          (local.set $src (i32.add ${get('src')} (i32.const 4)))
          (local.set $dst (i32.add ${get('dst')} (i32.const 16)))
          (local.set $p (i32.sub ${get('p')} (i32.const 1)))
          (br $pnext))))
      (else ${rows.map(packRow).join('\n')}))`;
  // one step of the K loop at unrolled position u: B's row from the panel, A's column from the tile
  // A's column: one splat load per row, or (SHUFFLE_A, mr 4) one vector load and a lane shuffle per row
  const lane = (r: number) =>
    `(i8x16.shuffle ${Array.from({ length: 16 }, (_, q) => 4 * r + (q % 4)).join(' ')} ${get('av')} ${get('av')})`;
  const kernelStep = (u: number) =>
    `(local.set $b0 (v128.load offset=${32 * u} ${get('bp')}))
        (local.set $b1 (v128.load offset=${32 * u + 16} ${get('bp')}))
        ${shuffleA && mr === 4 ? `(local.set $av (v128.load offset=${16 * u} ${get('ap')}))` : ''}
        ${rows
          .map(
            (
              r,
            ) => `(local.set $a ${shuffleA && mr === 4 ? lane(r) : `(v128.load32_splat offset=${4 * (u * mr + r)} ${get('ap')})`})
        (local.set $c${r}0 ${madd(get('a'), get('b0'), get(`c${r}0`))})
        (local.set $c${r}1 ${madd(get('a'), get('b1'), get(`c${r}1`))})`,
          )
          .join('\n')}`;
  const rowPtr = (base: string, stride: string, r: number) =>
    r === 0 ? get(base) : `(i32.add ${get(base)} (i32.mul ${get(stride)} (i32.const ${r})))`;
  const partStore = rows
    .map(
      (r) => `(if (i32.lt_s (i32.const ${r}) ${get('mr')}) (then
          (call $storePart ${rowPtr('cp', 'ldcb', r)}
            (call $epilogue ${get(`c${r}0`)} ${rowPtr('cp', 'ldcb', r)} ${rowPtr('ep', 'ldeb', r)} ${get('mode')} ${get('nr')})
            ${get('nr')})
          (call $storePart (i32.add ${rowPtr('cp', 'ldcb', r)} (i32.const 16))
            (call $epilogue ${get(`c${r}1`)} (i32.add ${rowPtr('cp', 'ldcb', r)} (i32.const 16))
              (i32.add ${rowPtr('ep', 'ldeb', r)} (i32.const 16)) ${get('mode')} (i32.sub ${get('nr')} (i32.const 4)))
            (i32.sub ${get('nr')} (i32.const 4)))))`,
    )
    .join('\n');
  // a full tile's stores of value(accumulator, E's vector) (the epilogue inlined, one mode per tile)
  const fullWith = (value: (acc: string, e: string) => string) =>
    rows
      .map((r) =>
        [0, 1]
          .map(
            (c) =>
              `(v128.store offset=${16 * c} ${rowPtr('cp', 'ldcb', r)} ${value(get(`c${r}${c}`), `(v128.load offset=${16 * c} ${rowPtr('ep', 'ldeb', r)})`)})`,
          )
          .join('\n'),
      )
      .join('\n');
  const fullStore = `(if (i32.eqz ${get('mode')}) (then ${fullWith((a) => a)}) (else
    (if (i32.eq ${get('mode')} (i32.const 17)) (then ${fullWith((a, e) => `(local.set $tin (f32x4.add ${a} ${e})) ${tanhCode('tin', 'g')} (local.get $thg)`)}) (else
    (if (i32.eq ${get('mode')} (i32.const 16)) (then ${fullWith((a, e) => `(f32x4.add ${a} ${e})`)}) (else
    (if (i32.eq ${get('mode')} (i32.const 18)) (then ${fullWith((a, e) => `(f32x4.max (f32x4.add ${a} ${e}) ${v0})`)}) (else
    (if (i32.eq ${get('mode')} (i32.const 3))
      (then ${fullWith((a, e) => `(f32x4.mul ${a} (f32x4.sub ${f4(1)} (f32x4.mul ${e} ${e})))`)})
      (else ${partStore}))))))))))`;
  emit(`(local.set $step (i32.shl ${get('sap')} (i32.const 2)))
  (block $idone (loop $inext
    (br_if $idone (i32.ge_s ${get('i0')} ${get('M')}))
    (local.set $mr (i32.sub ${get('M')} ${get('i0')}))
    (if (i32.gt_s ${get('mr')} (i32.const ${mr})) (then (local.set $mr (i32.const ${mr}))))
    ${
      mr === 4
        ? `(if (i32.and (i32.eq ${get('sai')} (i32.const 1)) (i32.eq ${get('mr')} (i32.const 4)))
      (then
        ;; A's tile is four consecutive floats per p (a transposed operand): one vector per p
        (local.set $src (i32.add ${get('A')} (i32.shl ${get('i0')} (i32.const 2))))
        (local.set $dst ${get('pack')})
        (local.set $p ${get('K')})
        (block $pdone (loop $pnext
          (br_if $pdone (i32.eqz ${get('p')}))
          (v128.store ${get('dst')} (v128.load ${get('src')}))
          (local.set $src (i32.add ${get('src')} ${get('step')}))
          (local.set $dst (i32.add ${get('dst')} (i32.const 16)))
          (local.set $p (i32.sub ${get('p')} (i32.const 1)))
          (br $pnext))))
      (else ${packRowMajor4}))`
        : rows.map(packRow).join('\n')
    }
    (local.set $jp (i32.const 0))
    (block $jdone (loop $jnext
      (br_if $jdone (i32.ge_s ${get('jp')} ${get('np')}))
      ${accs.map((a) => `(local.set ${a} ${v0})`).join(' ')}
      (local.set $ap ${get('pack')})
      (local.set $bp (i32.add ${get('bpack')} (i32.mul ${get('jp')} ${get('panel')})))
      (local.set $p ${get('K')})
      (block $kdone (loop $k
        (br_if $kdone (i32.lt_s ${get('p')} (i32.const ${unroll})))
        ${Array.from({ length: unroll }, (_, u) => kernelStep(u)).join('\n')}
        (local.set $ap (i32.add ${get('ap')} (i32.const ${4 * mr * unroll})))
        (local.set $bp (i32.add ${get('bp')} (i32.const ${32 * unroll})))
        (local.set $p (i32.sub ${get('p')} (i32.const ${unroll})))
        (br $k)))
      (block $kdone (loop $k
        (br_if $kdone (i32.eqz ${get('p')}))
        ${kernelStep(0)}
        (local.set $ap (i32.add ${get('ap')} (i32.const ${4 * mr})))
        (local.set $bp (i32.add ${get('bp')} (i32.const 32)))
        (local.set $p (i32.sub ${get('p')} (i32.const 1)))
        (br $k)))
      (local.set $j (i32.shl ${get('jp')} (i32.const 3)))
      (local.set $nr (i32.sub ${get('N')} ${get('j')}))
      (local.set $cp (i32.add ${get('C')} (i32.shl (i32.add (i32.mul ${get('i0')} ${get('ldc')}) ${get('j')}) (i32.const 2))))
      (local.set $ep (i32.add ${get('E')} (i32.shl (i32.add (i32.mul ${get('i0')} ${get('lde')}) ${get('j')}) (i32.const 2))))
      (if (i32.and (i32.eq ${get('mr')} (i32.const ${mr})) (i32.ge_s ${get('nr')} (i32.const 8)))
        (then ${fullStore})
        (else ${partStore}))
      (local.set $jp (i32.add ${get('jp')} (i32.const 1)))
      (br $jnext)))
    (local.set $i0 (i32.add ${get('i0')} (i32.const ${mr})))
    (br $inext))))`);
}
