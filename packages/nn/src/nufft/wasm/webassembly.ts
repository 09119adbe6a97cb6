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
    // interfaces and vars (not classes), so that this declaration merges with a copy of itself: a
    // program that sees both nn's sources and its built .d.ts (the scripts' type check) has two
    interface Memory {
      readonly buffer: ArrayBuffer | SharedArrayBuffer;
      grow(delta: number): number;
    }
    var Memory: { prototype: Memory; new (descriptor: MemoryDescriptor): Memory };
    interface Module {}
    var Module: { prototype: Module; new (bytes: Uint8Array): Module };
    /** Whether the bytes are a valid module for this runtime (its features included). */
    function validate(bytes: Uint8Array): boolean;
    interface Instance {
      readonly exports: Record<string, unknown>;
    }
    var Instance: {
      prototype: Instance;
      new (module: Module, imports?: Record<string, Record<string, unknown>>): Instance;
    };
  }
}

export {};
