import { ManualTimers } from '../testing-internal/manual-timers.js';
import { CoalescingWriter, type OverflowReason } from './writer.js';

function setup(overrides: { coalesce?: boolean; drainLimitBytes?: number } = {}) {
  const timers = new ManualTimers();
  const frames: string[] = [];
  const callbacks: (() => void)[] = [];
  const overflows: { reason: OverflowReason; pending: number }[] = [];
  let buffered = 0;
  let coalesce = overrides.coalesce ?? true;
  const writer = new CoalescingWriter({
    maxPending: 4096,
    peakMessages: 1024,
    peakMs: 10_000,
    forceReadyAt: 256,
    drainLimitBytes: overrides.drainLimitBytes ?? 1_048_576,
    timers,
    send: (bytes, done) => {
      const frame = bytes.toString('latin1');
      frames.push(frame);
      buffered += frame.length;
      callbacks.push(() => {
        buffered -= frame.length;
        done(null); // as ws does on success
      });
    },
    bufferedAmount: () => buffered,
    canCoalesce: () => coalesce,
    onOverflow: (reason, pending) => overflows.push({ reason, pending }),
    onFrame: () => undefined,
  });
  return {
    timers,
    frames,
    overflows,
    writer,
    /** The socket takes everything written so far. */
    drain: () => {
      for (const callback of callbacks.splice(0)) callback();
    },
    setCoalesce: (on: boolean) => (coalesce = on),
  };
}

const msg = (n: number): string => `{"n":${n}}`;

describe('CoalescingWriter (HA http.py writer)', () => {
  it('sends a lone message as a bare object, after the queue stopped growing for a turn', () => {
    const { writer, timers, frames } = setup();
    writer.enqueue(msg(1));
    expect(frames).toEqual([]);
    timers.turn(); // release: queue (1) did not grow since it was scheduled
    expect(frames).toEqual(['{"n":1}']);
  });

  it('joins everything queued into one JSON array frame', () => {
    const { writer, timers, frames } = setup();
    for (let n = 1; n <= 5; n++) writer.enqueue(msg(n));
    timers.settle();
    expect(frames).toEqual(['[{"n":1},{"n":2},{"n":3},{"n":4},{"n":5}]']);
  });

  it('waits while the queue keeps growing across turns, then flushes it all', () => {
    const { writer, timers, frames } = setup();
    writer.enqueue(msg(1));
    timers.turn(); // release sees 1 == 1 queued at scheduling: flush
    expect(frames).toHaveLength(1);
    writer.enqueue(msg(2));
    writer.enqueue(msg(3));
    timers.turn(); // scheduled at 1 queued, finds 2: reschedule
    expect(frames).toHaveLength(1);
    writer.enqueue(msg(4));
    timers.turn(); // scheduled at 2, finds 3: reschedule
    expect(frames).toHaveLength(1);
    timers.turn(); // no growth: flush
    expect(frames[1]).toBe('[{"n":2},{"n":3},{"n":4}]');
  });

  it('flushes without waiting once 256 are queued (PENDING_MSG_MAX_FORCE_READY)', () => {
    const { writer, timers, frames } = setup();
    writer.enqueue(msg(0));
    timers.turn();
    for (let n = 1; n <= 300; n++) writer.enqueue(msg(n));
    timers.turn(); // scheduled at 1, finds 300: grows but... reschedule with 300
    timers.turn(); // release size 300 >= 256: flush even if it grew
    expect(frames).toHaveLength(2);
    expect(JSON.parse(frames[1]!) as unknown[]).toHaveLength(300);
  });

  it('sends one frame per message without coalescing', () => {
    const { writer, timers, frames } = setup({ coalesce: false });
    for (let n = 1; n <= 3; n++) writer.enqueue(msg(n));
    timers.settle();
    expect(frames).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('waits for the socket past the drain limit; the queue is what is pending', () => {
    const { writer, timers, frames, drain } = setup({ drainLimitBytes: 10 });
    for (let n = 1; n <= 3; n++) writer.enqueue(msg(n));
    timers.settle();
    expect(frames).toHaveLength(1);
    expect(writer.blocked).toBe(true);
    for (let n = 4; n <= 6; n++) writer.enqueue(msg(n));
    timers.settle();
    expect(frames).toHaveLength(1);
    expect(writer.pending).toBe(3);
    drain();
    expect(frames[1]).toBe('[{"n":4},{"n":5},{"n":6}]');
    expect(writer.pending).toBe(0);
  });

  it('keeps HA quirk: after a drain, a stale ready count of 1 sends the backlog one message per frame', () => {
    const { writer, timers, frames, drain } = setup({ drainLimitBytes: 5 });
    writer.enqueue(msg(1));
    timers.settle(); // released with 1 ready; the send crosses the drain limit
    writer.enqueue(msg(2));
    writer.enqueue(msg(3));
    timers.settle();
    drain(); // the writer resumes with ready count 1 → bare message
    drain();
    drain();
    expect(frames).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('closes at 4096 pending and drops the queue (MAX_PENDING_MSG)', () => {
    const { writer, overflows } = setup();
    for (let n = 1; n <= 4096; n++) writer.enqueue(msg(n));
    expect(overflows).toEqual([{ reason: 'max_pending', pending: 4096 }]);
    expect(writer.pending).toBe(0);
    writer.enqueue(msg(9999));
    expect(writer.pending).toBe(0);
  });

  it('closes when still at or above 1024 when the 10 s peak timer fires', () => {
    const { writer, timers, overflows, drain } = setup({ drainLimitBytes: 1 });
    writer.enqueue(msg(0));
    timers.settle(); // blocked on the socket from now on
    for (let n = 1; n <= 1100; n++) writer.enqueue(msg(n));
    timers.advance(9_999);
    expect(overflows).toEqual([]);
    timers.advance(1);
    expect(overflows).toEqual([{ reason: 'peak', pending: 1100 }]);
    drain();
  });

  it('cancels the peak timer when the queue falls back to 1024 or fewer', () => {
    const { writer, timers, overflows, frames, drain } = setup({ drainLimitBytes: 1 });
    writer.enqueue(msg(0));
    writer.enqueue(msg(0)); // released with 2 ready, so the backlog will go out coalesced
    timers.settle();
    for (let n = 1; n <= 1100; n++) writer.enqueue(msg(n));
    timers.advance(5_000);
    drain(); // the socket takes the first frame; the writer sends the backlog as one array
    expect(JSON.parse(frames[1]!) as unknown[]).toHaveLength(1100);
    expect(writer.pending).toBe(0);
    writer.enqueue(msg(2000)); // 1 queued (≤ 1024): the checker is cancelled
    timers.advance(10_000);
    expect(overflows).toEqual([]);
  });
});
