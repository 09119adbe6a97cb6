/*
 * A sweep's worker process (forked by pool.ts): runs the points it is sent, one at a time, and says
 * how each ended. It dies with its sweep: when the parent is gone (killed, even by SIGKILL) the IPC
 * channel closes and the worker exits at its next turn of the event loop. A point's folder is written
 * by one synchronous call, so the worker leaves either the whole folder or none.
 */
import type { Limits } from '../pipeline/checks/resources.js';
import type { PointTask } from './record.js';
import { runPoint } from './run-point.js';

/** A message from the sweep to a worker. */
export type ToWorker = { type: 'run'; task: PointTask; out: string; limits?: Partial<Limits> };

process.on('disconnect', () => process.exit(0));

const send = (message: unknown) => {
  try {
    process.send?.(message);
  } catch {
    process.exit(0); // the sweep is gone
  }
};

process.on('message', async (message: ToWorker) => {
  if (message?.type !== 'run') return;
  const outcome = await runPoint(message.task, message.out, { limits: message.limits });
  send({ type: 'done', outcome });
});
send({ type: 'ready' });
