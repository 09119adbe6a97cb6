import '../../../nufft/wasm/webassembly.js';
import { setFlagsFromString } from 'node:v8';
import { watToBinary } from '../../../nufft/wasm/compile.js';
import { kernelsWat } from './kernels-wat.js';

/** The exported kernels of kernels-wat.ts (all arguments i32: sizes, strides, byte offsets). */
export interface DeepKernels {
  gemm(...args: number[]): void;
  tanh(n: number, x: number, y: number): void;
  embed(...args: number[]): void;
  wgrad(...args: number[]): void;
  sinact(...args: number[]): void;
  colsum(rows: number, cols: number, d: number, ld: number, out: number): void;
  residual(...args: number[]): void;
  sgd(count: number, w: number, g: number, scalars: number): void;
  adam(count: number, w: number, g: number, m: number, v: number, scalars: number): void;
}

/** The compiled kernels module and whether its multiply-adds are fused (relaxed SIMD). */
export interface DeepKernelsModule {
  readonly module: WebAssembly.Module;
  readonly fma: boolean;
}

const modules = new Map<boolean, Promise<DeepKernelsModule>>();
let relaxed: boolean | undefined;

const RELAXED_PROBE = Uint8Array.from([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0, 253, 12, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 12, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 133, 2, 11,
]);

/**
 * Whether this runtime runs WebAssembly relaxed SIMD (f32x4.relaxed_madd, a fused multiply-add on
 * CPUs with FMA): Node 20's V8 has it behind --experimental-wasm-relaxed-simd, which is set here
 * (process-wide, before the first relaxed module is compiled) and then checked by validating a
 * one-instruction module.
 *
 * @example
 * relaxedSimdAvailable(); // true on Node 20 on x86-64
 */
export function relaxedSimdAvailable(): boolean {
  if (relaxed === undefined) {
    let ok = WebAssembly.validate(RELAXED_PROBE);
    if (!ok) {
      try {
        setFlagsFromString('--experimental-wasm-relaxed-simd');
      } catch {
        // not settable: stays unavailable
      }
      ok = WebAssembly.validate(RELAXED_PROBE);
    }
    relaxed = ok;
  }
  return relaxed;
}

/**
 * Whether this runtime runs WebAssembly with 128-bit SIMD and shared memory (what the engine needs).
 *
 * @example
 * wasmSimdAvailable(); // true on Node ≥ 16.4
 */
export function wasmSimdAvailable(): boolean {
  try {
    // (func (result v128) v128.const 0)
    const simd = WebAssembly.validate(
      Uint8Array.from([
        0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
      ]),
    );
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return simd;
  } catch {
    return false;
  }
}

/**
 * The kernels compiled once per process: with fused multiply-adds when `fma` is 'auto' (the
 * default) and relaxed SIMD is available, or as asked (true rejects without relaxed SIMD).
 *
 * @example
 * const { module, fma } = await deepKernelsModule(); // fma: true on Node 20, x86-64
 */
export function deepKernelsModule(fma: boolean | 'auto' = 'auto'): Promise<DeepKernelsModule> {
  const use = fma === 'auto' ? relaxedSimdAvailable() : fma;
  if (use && !relaxedSimdAvailable()) {
    return Promise.reject(new Error('fma: this runtime has no WebAssembly relaxed SIMD'));
  }
  let m = modules.get(use);
  if (!m) {
    m = compile(use);
    modules.set(use, m);
  }
  return m;
}

async function compile(fma: boolean): Promise<DeepKernelsModule> {
  const bytes = await watToBinary('deep-kernels.wat', kernelsWat(fma), { relaxed_simd: fma });
  return { module: new WebAssembly.Module(bytes), fma };
}

/**
 * The kernels of a module instantiated on a memory.
 *
 * @example
 * const k = deepKernels(module, memory);
 * k.tanh(n, x, y); // byte offsets into memory
 */
export function deepKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): DeepKernels {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as DeepKernels;
}
