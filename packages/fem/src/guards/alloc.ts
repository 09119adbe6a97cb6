/**
 * Typed-array allocation that fails with a named one-line error instead of a bare RangeError
 * ("Invalid typed array length", "Array buffer allocation failed"), and a guard for the Int32
 * indices that meshes, patterns and factors store.
 */

/** Largest length V8 gives a typed array on 64-bit platforms. */
const MAX_LENGTH = 2 ** 32;
/** Largest count an Int32Array index (or offset) can hold. */
const MAX_INDEX = 2 ** 31 - 1;

/**
 * A human-readable byte count.
 *
 * @example
 * formatBytes(3.5 * 2 ** 30); // '3.5 GiB'
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${+v.toPrecision(3)} ${units[u]}`;
}

function allocate<T>(make: (n: number) => T, bytesPer: number, length: number, what: string): T {
  if (!Number.isSafeInteger(length) || length < 0)
    throw new Error(`${what}: cannot allocate an array of ${length} entries`);
  const size = formatBytes(length * bytesPer);
  if (length > MAX_LENGTH)
    throw new Error(`${what}: ${length} entries (${size}) exceed the largest typed array (2^32 entries)`);
  try {
    return make(length);
  } catch (e) {
    if (e instanceof RangeError)
      throw new Error(`${what}: could not allocate ${length} entries (${size}): out of memory`);
    throw e;
  }
}

/**
 * `new Float64Array(length)`, or an error naming `what`.
 *
 * @example
 * float64Array(3, 'dofs'); // Float64Array [0, 0, 0]
 * float64Array(1e10, 'rectangleMesh: points'); // throws: rectangleMesh: points: 10000000000 entries (74.5 GiB) exceed …
 */
export function float64Array(length: number, what: string): Float64Array {
  return allocate((n) => new Float64Array(n), 8, length, what);
}

/**
 * `new Int32Array(length)`, or an error naming `what`.
 *
 * @example
 * int32Array(4, 'cells'); // Int32Array [0, 0, 0, 0]
 */
export function int32Array(length: number, what: string): Int32Array {
  return allocate((n) => new Int32Array(n), 4, length, what);
}

/**
 * Throws if `count` items cannot be numbered by Int32 indices (vertices, dofs, nonzeros).
 *
 * @example
 * checkIndexCount(3e9, 'ldlSymbolic: nonzeros of L'); // throws
 */
export function checkIndexCount(count: number, what: string): void {
  if (!(count <= MAX_INDEX))
    throw new Error(`${what}: ${count} is more than Int32 indices can address (2^31 − 1)`);
}
