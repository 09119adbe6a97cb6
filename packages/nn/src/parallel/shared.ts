/** A Float64Array on shared memory (usable by a {@link WorkerPool}'s workers). */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * Math.max(1, length)));
}

/** An Int32Array on shared memory. */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(1, length)));
}

/** True if the array lives on shared memory. */
export function isShared(a: Float64Array | Int32Array): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

/**
 * A Float64Array of `length`, on shared memory when `shared` (there is a pool to hand it to).
 *
 * @example
 * const c = allocate(2 * m, pool !== undefined);
 */
export function allocate(length: number, shared: boolean): Float64Array {
  return shared ? sharedFloat64(length) : new Float64Array(length);
}

/**
 * The slices [bounds[t], bounds[t + 1]) of [0, count) for `threads` threads (t = 0: the caller).
 *
 * @example
 * slices(10, 2); // [0, 5, 10]
 */
export function slices(count: number, threads: number): number[] {
  return Array.from({ length: threads + 1 }, (_, t) => Math.round((t * count) / threads));
}

/**
 * Where a plan or engine takes its typed arrays from: plain or SharedArrayBuffer-backed memory
 * ({@link arrayAllocator}), or a WebAssembly heap (nufft/wasm/heap.ts) whose arrays its SIMD loops
 * address. `shared`: whether the arrays can be handed to a {@link WorkerPool}'s workers.
 */
export interface ArrayAllocator {
  readonly shared: boolean;
  float64(length: number): Float64Array;
  int32(length: number): Int32Array;
}

/**
 * The allocator of plain (`shared` false) or SharedArrayBuffer-backed arrays.
 *
 * @example
 * const alloc = arrayAllocator(pool !== undefined);
 * const base = alloc.int32(count);
 */
export function arrayAllocator(shared: boolean): ArrayAllocator {
  return {
    shared,
    float64: (length) => allocate(length, shared),
    int32: (length) => (shared ? sharedInt32(length) : new Int32Array(length)),
  };
}
