import './webassembly.js';
import type { LoopFunction, WorkerLoop } from '../../parallel/loop.js';
import type { WasmHeap } from './heap.js';
import type { WatSource } from './wat.js';

/**
 * A compiled wasm loop: a {@link WorkerLoop} whose arguments are (heap memory, heap id, …the
 * loop's i32 parameters), see {@link wasmArgs}. The calling thread and each worker instantiate the
 * module once per heap (a worker compiles it from the bytes embedded in `code`).
 */
export interface WasmLoop extends WorkerLoop {
  readonly bytes: Uint8Array;
}

type Wabt = Awaited<ReturnType<typeof import('wabt')>>;
let wabt: Promise<Wabt> | undefined;
const compiled = new Map<string, Promise<WasmLoop>>();
/** Instances on the calling thread, per heap memory (dropped with the heap). */
const instances = new WeakMap<WebAssembly.Memory, Map<string, WebAssembly.Instance>>();

/**
 * Compiles a loop's text (WebAssembly text with SIMD and shared memory, through wabt, loaded on
 * first use), once per process; rejects where the runtime lacks wasm SIMD or threads.
 *
 * @example
 * const loop = await compileWasmLoop(watSource('spread', 1, 12, 4, 1));
 * loop.run(0, count, ...wasmArgs(heap, [base, cell, u, coeffs, pad, c])); // or pool.run(loop, tasks)
 */
export function compileWasmLoop(source: WatSource): Promise<WasmLoop> {
  let loop = compiled.get(source.key);
  if (!loop) {
    loop = compile(source);
    compiled.set(source.key, loop);
  }
  return loop;
}

/**
 * The binary of a WebAssembly text module, by wabt (loaded on first use), with SIMD and shared
 * memory enabled, and any further features (e.g. `relaxed_simd`). Not validated here: wabt.js's
 * validator ignores the features (it rejects shared memory); `new WebAssembly.Module` validates.
 *
 * @example
 * const bytes = await watToBinary('k.wat', '(module)');
 */
export async function watToBinary(
  name: string,
  text: string,
  features: Record<string, boolean> = {},
): Promise<Uint8Array> {
  wabt ??= import('wabt').then((m) => m.default());
  const parsed = (await wabt).parseWat(name, text, { simd: true, threads: true, ...features } as Record<
    string,
    boolean
  >);
  try {
    parsed.resolveNames();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

async function compile(source: WatSource): Promise<WasmLoop> {
  const features: Record<string, boolean> = { relaxed_simd: source.relaxed === true };
  const bytes = await watToBinary(`${source.key}.wat`, source.text, features);
  const module = new WebAssembly.Module(bytes);
  const key = source.key;
  const run = (from: number, to: number, memory: WebAssembly.Memory, _heap: number, ...offsets: number[]) => {
    let byKey = instances.get(memory);
    if (!byKey) {
      byKey = new Map();
      instances.set(memory, byKey);
    }
    let instance = byKey.get(key);
    if (!instance) {
      instance = new WebAssembly.Instance(module, { env: { memory } });
      byKey.set(key, instance);
    }
    (instance.exports.run as (...args: number[]) => void)(from, to, ...offsets);
  };
  const code = `'use strict';
const heaps = (globalThis.__freqbiasWasmHeaps ??= new Map());
const module = new WebAssembly.Module(Buffer.from('${Buffer.from(bytes).toString('base64')}', 'base64'));
return function (from, to, memory, heap, ...offsets) {
  let byKey = heaps.get(heap);
  if (!byKey) heaps.set(heap, (byKey = new Map()));
  let instance = byKey.get(${JSON.stringify(key)});
  if (!instance) byKey.set(${JSON.stringify(key)}, (instance = new WebAssembly.Instance(module, { env: { memory } })));
  instance.exports.run(from, to, ...offsets);
};`;
  return { key, code, run: run as unknown as LoopFunction, bytes };
}

/**
 * The arguments of a {@link WasmLoop} for arrays of `heap` (numbers pass as they are).
 *
 * @example
 * wasmArgs(heap, [base, cell, u, 512, coeffs, pad]); // [memory, id, offsets…, 512, …]
 */
export function wasmArgs(heap: WasmHeap, args: readonly (Float64Array | Int32Array | number)[]): unknown[] {
  return [heap.memory, heap.id, ...args.map((a) => (typeof a === 'number' ? a : heap.offsetOf(a)))];
}

/**
 * The loop a pool's workers run to drop their instances of a heap (its memory) when the heap's
 * owner is done: run it with arguments [heap id] on every worker.
 *
 * @example
 * await pool.run(releaseHeapLoop, workers.map(() => ({ from: 0, to: 0, args: [heap.id] })));
 */
export const releaseHeapLoop: WorkerLoop = {
  key: 'wasm/release',
  code: "'use strict';\nreturn function (from, to, heap) { globalThis.__freqbiasWasmHeaps?.delete(heap); };",
  run: (() => {}) as LoopFunction,
};
