/** Where a run reports progress: one phase at a time ('training seed 0', 'PDE', 'kernel'). */
export interface ProgressSink {
  start(phase: string, total: number): void;
  update(value: number): void;
  stop(): void;
  /** The phase failed: clear it without reporting it done (default: {@link stop}). */
  abort?(): void;
}

/** Runs `work` as one progress phase. */
export function phase<T>(progress: ProgressSink | undefined, name: string, total: number, work: () => T): T {
  progress?.start(name, total);
  try {
    return work();
  } finally {
    progress?.stop();
  }
}
