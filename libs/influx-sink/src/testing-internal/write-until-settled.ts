import type { ManualClock } from '@homeiq/runtime/testing';
import type { InfluxSink } from '../index.js';

/** How a batch fared when written as the queue writes it: lent, handed back on failure, and lent again. */
export interface Settling {
  readonly attempts: number;
  readonly settled: boolean;
}

/**
 * Writes `lines` until the sink settles them or `maxAttempts` hand-backs, advancing a manual clock (`ManualClock` of `@homeiq/runtime/testing`) while each
 * write is pending and by `cooldownMs` (the circuit's cool-down) before the batch is lent again.
 */
export async function writeUntilSettled(
  sink: InfluxSink,
  clock: Pick<ManualClock, 'advance'>,
  lines: readonly string[],
  maxAttempts: number,
  cooldownMs = 100,
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
    while (!state.done) await clock.advance(50);
    await write;
    settled = state.ok;
    if (!settled) await clock.advance(cooldownMs);
  }
  return { attempts, settled };
}
