import type { WebSocket } from 'ws';
import type { SimState } from './sim-state.js';
import { CoalescingWriter, type OverflowReason } from './writer.js';

/** A connection's writer on its `ws` socket, with the simulator's limits, timers and counters. */
export function writerForSocket(
  ws: WebSocket,
  state: SimState,
  canCoalesce: () => boolean,
  onOverflow: (reason: OverflowReason, pending: number) => void,
): CoalescingWriter {
  const options = state.options;
  const counters = state.counters;
  return new CoalescingWriter({
    maxPending: options.maxPendingMessages,
    peakMessages: options.pendingPeakMessages,
    peakMs: options.pendingPeakMs,
    forceReadyAt: options.forceFlushMessages,
    drainLimitBytes: options.drainLimitBytes,
    timers: options.timers,
    send: (frame, done) => {
      ws.send(frame, { binary: false }, done);
    },
    bufferedAmount: () => ws.bufferedAmount,
    canCoalesce,
    onOverflow,
    onFrame: (messages) => {
      counters.framesSent++;
      counters.messagesSent += messages;
    },
  });
}
