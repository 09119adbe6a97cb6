/**
 * The part of the WebAssembly JS API that nufft/wasm and models/deep/wasm use. TypeScript declares it only in the DOM
 * libraries and @types/node 20 not at all; Node has had all of it (SIMD and shared memory
 * included) since 16.4.
 */
declare global {
  namespace WebAssembly {
    interface MemoryDescriptor {
      initial: number;
      maximum?: number;
      shared?: boolean;
    }
    class Memory {
      constructor(descriptor: MemoryDescriptor);
      readonly buffer: ArrayBuffer | SharedArrayBuffer;
      grow(delta: number): number;
    }
    class Module {
      constructor(bytes: Uint8Array);
    }
    /** Whether the bytes are a valid module for this runtime (its features included). */
    function validate(bytes: Uint8Array): boolean;
    class Instance {
      constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
      readonly exports: Record<string, unknown>;
    }
  }
}

export {};
