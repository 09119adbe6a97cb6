import { parentPort } from 'node:worker_threads';
import type { TfjsBackendChoice } from '../../tfjs-backend.js';
import type { DeepGradients, DeepNetwork, DeepOptimizerSettings, DeepShard } from '../engine.js';
import { TfjsDeepEngine } from './tfjs.js';

/*
 * The worker thread of a ThreadedDeepEngine (threads.ts): its own tfjs engine with the same weights,
 * running its slice of the grid's points. It answers every request in order, one at a time; an
 * error is sent back as its stack, never thrown.
 */

/** What a {@link ThreadedDeepEngine} asks of its worker. */
export type ShardRequest =
  | {
      readonly type: 'init';
      readonly network: DeepNetwork;
      readonly backend: TfjsBackendChoice;
      readonly gradients: DeepGradients;
    }
  | { readonly type: 'weights'; readonly values: readonly Float32Array[] }
  | { readonly type: 'reset' }
  | { readonly type: 'forward'; readonly points: Float32Array }
  /** Jᵀ e on the points into `out` (float32, shared). */
  | {
      readonly type: 'vjp';
      readonly points: Float32Array;
      readonly e: Float32Array;
      readonly out: SharedArrayBuffer;
    }
  /** J t on the points for the tangent t (float32, shared). */
  | { readonly type: 'jvp'; readonly points: Float32Array; readonly tangent: SharedArrayBuffer }
  | {
      readonly type: 'shard';
      readonly id: number;
      readonly points: Float32Array;
      readonly target: Float32Array;
      readonly cellVolume: number;
      readonly settings: DeepOptimizerSettings;
      /** This worker's thread (≥ 1; the caller is 0). */
      readonly thread: number;
      /**
       * The threads' gradients, float32 on shared memory, [slot][thread]: a loss writes this
       * thread's of its slot, the step of that slot reads all. Steps alternate between two slots so
       * that a thread still reading one step's gradients is never overwritten by the next loss.
       */
      readonly partials: readonly (readonly SharedArrayBuffer[])[];
    }
  | { readonly type: 'loss' | 'step'; readonly id: number; readonly slot: number }
  | { readonly type: 'residual' | 'release'; readonly id: number };

/** A request as posted: its sequence number, answered by a {@link ShardReply} of the same. */
export interface ShardMessage {
  readonly seq: number;
  readonly request: ShardRequest;
}

/** The answer to a {@link ShardMessage}: a value, or the error's stack. */
export interface ShardReply {
  readonly seq: number;
  readonly value?: unknown;
  readonly error?: string;
}

interface Slice {
  readonly shard: DeepShard;
  readonly thread: number;
  readonly partials: readonly (readonly Float32Array[])[];
}

const port = parentPort;
if (!port) throw new Error('threads-worker: not a worker thread');
let engine: TfjsDeepEngine | undefined;
const slices = new Map<number, Slice>();
let queue: Promise<void> = Promise.resolve();

port.on('message', ({ seq, request }: ShardMessage) => {
  queue = queue.then(async () => {
    try {
      const value = await handle(request);
      const transfer = value instanceof Float32Array ? [value.buffer as ArrayBuffer] : [];
      port.postMessage({ seq, value } satisfies ShardReply, transfer);
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      port.postMessage({ seq, error } satisfies ShardReply);
    }
  });
});

async function handle(request: ShardRequest): Promise<unknown> {
  if (request.type === 'init') {
    engine?.dispose();
    engine = new TfjsDeepEngine(request.network, request.backend, request.gradients);
    return engine.ready();
  }
  if (!engine) throw new Error(`${request.type}: the worker was not initialised`);
  switch (request.type) {
    case 'weights':
      return engine.setWeights(request.values);
    case 'reset':
      return engine.reset();
    case 'forward':
      return engine.forwardPoints(request.points);
    case 'vjp':
      return engine.vjpPoints(request.points, request.e, new Float32Array(request.out));
    case 'jvp':
      return engine.jvpPoints(request.points, new Float32Array(request.tangent));
    case 'shard': {
      const shard = await engine.shard(request.points, request.target, request.cellVolume, request.settings);
      slices.set(request.id, {
        shard,
        thread: request.thread,
        partials: request.partials.map((slot) => slot.map((buffer) => new Float32Array(buffer))),
      });
      return shard.size;
    }
    case 'release':
      slices.get(request.id)?.shard.dispose();
      slices.delete(request.id);
      return undefined;
  }
  const slice = slices.get(request.id);
  if (!slice) throw new Error(`${request.type}: no optimiser ${request.id} in this worker`);
  switch (request.type) {
    case 'loss':
      return slice.shard.lossAndGradient(slice.partials[request.slot][slice.thread]);
    case 'step':
      return slice.shard.step(
        slice.partials[request.slot].map((p, t) => (t === slice.thread ? undefined : p)),
      );
    case 'residual':
      return slice.shard.residual();
  }
}
