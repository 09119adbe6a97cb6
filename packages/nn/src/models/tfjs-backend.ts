import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** A tfjs backend request: `auto` = tfjs-node if installed, else wasm, else cpu. */
export type TfjsBackendChoice = 'auto' | 'node' | 'wasm' | 'cpu';

/** The engine name that reports a tfjs backend. */
export type TfjsEngineName = 'tfjs-node' | 'tfjs-wasm' | 'tfjs-cpu';

const NODE_BACKEND = 'tensorflow';
let nodeLoad: Promise<boolean> | undefined;
let wasmLoad: Promise<boolean> | undefined;

/**
 * Makes tfjs run on the requested backend and returns its engine name. `@tensorflow/tfjs-node` is an
 * optional peer dependency: it is tried by dynamic import and skipped when absent. The wasm backend
 * needs its .wasm files, found next to the package's main file.
 *
 * @example
 * const name = await useTfjsBackend('auto'); // 'tfjs-wasm' when tfjs-node is not installed
 */
export async function useTfjsBackend(choice: TfjsBackendChoice = 'auto'): Promise<TfjsEngineName> {
  if (!['auto', 'node', 'wasm', 'cpu'].includes(choice)) {
    throw new Error(`backend: expected 'auto', 'node', 'wasm' or 'cpu', got ${choice}`);
  }
  if ((choice === 'auto' || choice === 'node') && (await loadNode())) {
    if (await trySetBackend(NODE_BACKEND)) return 'tfjs-node';
  }
  if (choice === 'node') throw new Error("backend: '@tensorflow/tfjs-node' is not installed");
  if ((choice === 'auto' || choice === 'wasm') && (await loadWasm())) {
    if (await trySetBackend('wasm')) return 'tfjs-wasm';
  }
  if (choice === 'wasm') throw new Error('backend: the tfjs wasm backend could not be initialised');
  if (!(await trySetBackend('cpu')))
    throw new Error('backend: the tfjs cpu backend could not be initialised');
  return 'tfjs-cpu';
}

/**
 * The tfjs backends usable in this process, in order of preference.
 *
 * @example
 * await availableTfjsBackends(); // ['tfjs-wasm', 'tfjs-cpu'] without tfjs-node
 */
export async function availableTfjsBackends(): Promise<TfjsEngineName[]> {
  const found: TfjsEngineName[] = [];
  if (await loadNode()) found.push('tfjs-node');
  if (await loadWasm()) found.push('tfjs-wasm');
  found.push('tfjs-cpu');
  return found;
}

/**
 * The engine name of tfjs's current backend.
 *
 * @example
 * await useTfjsBackend('cpu');
 * currentTfjsEngineName(); // 'tfjs-cpu'
 */
export function currentTfjsEngineName(): TfjsEngineName {
  const b = tf.getBackend();
  return b === NODE_BACKEND ? 'tfjs-node' : b === 'wasm' ? 'tfjs-wasm' : 'tfjs-cpu';
}

/**
 * Puts tfjs's global backend back to `backend` if another engine moved it: every tfjs engine calls
 * this before its work, so engines on different backends can share the process.
 *
 * @example
 * await activateTfjsBackend('wasm');
 */
export async function activateTfjsBackend(backend: string): Promise<void> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
}

async function trySetBackend(name: string): Promise<boolean> {
  if (tf.getBackend() === name) return true;
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

function loadNode(): Promise<boolean> {
  nodeLoad ??= (async () => {
    // A variable specifier: the optional peer must not be resolved at type-check or bundle time.
    const specifier = '@tensorflow/tfjs-node';
    try {
      await import(specifier);
      return tf.findBackend(NODE_BACKEND) !== null || tf.engine().registryFactory[NODE_BACKEND] !== undefined;
    } catch {
      return false;
    }
  })();
  return nodeLoad;
}

function loadWasm(): Promise<boolean> {
  wasmLoad ??= (async () => {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      const main = require.resolve('@tensorflow/tfjs-backend-wasm');
      // main is …/dist/tf-backend-wasm.node.js; the .wasm files sit in the same folder.
      wasm.setWasmPaths(`${dirname(main)}/`);
      return true;
    } catch {
      return false;
    }
  })();
  return wasmLoad;
}
