import './webassembly.js';
import type { ArrayAllocator } from '../../parallel/shared.js';

const PAGE = 65536;
/** wasm32's limit: 65536 pages of 64 KiB = 4 GiB. */
const MAX_PAGES = 65536;
let nextId = 1;

/**
 * A shared WebAssembly memory handed out as typed arrays, bump-allocated and 16-byte aligned (so
 * that the SIMD loops' 128-bit loads are aligned): the arrays a NUFFT plan's wasm loops address by
 * byte offset. Its buffer is a SharedArrayBuffer, so the same arrays also serve the JS loops and a
 * WorkerPool's workers. Growing keeps earlier arrays valid (shared memories never move); nothing is
 * freed before the heap itself is dropped.
 *
 * @example
 * const heap = new WasmHeap();
 * const pad = heap.float64(1024); // a view on heap.memory.buffer
 * heap.offsetOf(pad); // its byte offset, what the wasm loops take
 */
export class WasmHeap implements ArrayAllocator {
  readonly shared = true;
  /** Unique in this process: workers key their instances by it. */
  readonly id = nextId++;
  readonly memory: WebAssembly.Memory;
  private top = 16; // offset 0 stays unused, so that no array starts at the null address
  private readonly views = new WeakSet<Float64Array | Int32Array>();

  constructor(initialBytes = PAGE) {
    const initial = Math.max(1, Math.ceil(initialBytes / PAGE));
    this.memory = new WebAssembly.Memory({ initial, maximum: MAX_PAGES, shared: true });
  }

  /** Bytes in use. */
  get used(): number {
    return this.top;
  }

  float64(length: number): Float64Array {
    const offset = this.reserve(8 * length); // first: it may grow the memory (a new buffer)
    const view = new Float64Array(this.memory.buffer, offset, length);
    this.views.add(view);
    return view;
  }

  int32(length: number): Int32Array {
    const offset = this.reserve(4 * length);
    const view = new Int32Array(this.memory.buffer, offset, length);
    this.views.add(view);
    return view;
  }

  /** Whether the array was allocated here (only those can be handed to the wasm loops). */
  holds(a: Float64Array | Int32Array): boolean {
    return this.views.has(a);
  }

  /** The byte offset of an array of this heap. */
  offsetOf(a: Float64Array | Int32Array): number {
    if (!this.views.has(a)) throw new Error('wasm heap: the array was not allocated by this heap');
    return a.byteOffset;
  }

  private reserve(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`wasm heap: invalid size ${bytes}`);
    const offset = this.top;
    const end = offset + Math.ceil(Math.max(bytes, 1) / 16) * 16;
    if (end > MAX_PAGES * PAGE) {
      throw new Error(`wasm heap: ${(end / 2 ** 30).toFixed(2)} GiB exceed wasm32's 4 GiB`);
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return offset;
  }
}
