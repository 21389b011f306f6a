import type { InfluxSink } from '../index.js';

/** How a batch fared when written as the queue writes it: lent, handed back on failure, and lent again. */
export interface Settling {
  readonly attempts: number;
  readonly settled: boolean;
}

/**
 * Writes `lines` until the sink settles them or `maxAttempts` hand-backs, advancing a manual clock (`@homeiq/testing`'s) while each
 * write is pending and by `resetMs` (the circuit's reset delay) before the batch is lent again.
 */
export async function writeUntilSettled(
  sink: InfluxSink,
  clock: { advanceAsync(ms: number): Promise<void> },
  lines: readonly string[],
  maxAttempts: number,
  resetMs = 100,
): Promise<Settling> {
  let attempts = 0;
  let settled = false;
  for (; attempts < maxAttempts && !settled; attempts++) {
    const state = { done: false, ok: false };
    const write = sink
      .write(lines)
      .then(
        () => (state.ok = true),
        () => undefined,
      )
      .finally(() => (state.done = true));
    while (!state.done) await clock.advanceAsync(50);
    await write;
    settled = state.ok;
    if (!settled) await clock.advanceAsync(resetMs);
  }
  return { attempts, settled };
}
