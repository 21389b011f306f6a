import { ManualClock } from '@homeiq/runtime/testing';
import { createBackpressureQueue, type BackpressureQueueOptions, type DropEvent } from './index.js';

const lines = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `m v=${from + i}i`);

function setup(options: BackpressureQueueOptions = {}): {
  clock: ManualClock;
  drops: DropEvent[];
  queue: ReturnType<typeof createBackpressureQueue>;
} {
  const clock = new ManualClock();
  const drops: DropEvent[] = [];
  const queue = createBackpressureQueue({ clock, onDrop: (e) => drops.push(e), ...options });
  return { clock, drops, queue };
}

describe('options', () => {
  it.each([
    [{ maxPending: 0 }, 'Expected `maxPending` to be an integer from 1 to 100000000, got `0` (number)'],
    [{ maxPending: 1.5 }, 'Expected `maxPending` to be an integer from 1 to 100000000, got `1.5` (number)'],
    // An object without a prototype once made the message itself throw a bare TypeError.
    [
      { maxPending: Object.create(null) as unknown },
      'Expected `maxPending` to be an integer from 1 to 100000000, got `[object Object]` (object)',
    ],
    [
      { maxPending: 100_000_001 },
      'Expected `maxPending` to be an integer from 1 to 100000000, got `100000001` (number)',
    ],
    [{ batchSize: 5001 }, 'Expected `batchSize` to be <= maxBatchSize (5000), got `5001` (number)'],
    [
      { overflow: 'drop' },
      'Expected `overflow` to be one of drop_oldest, drop_new, spill, got `"drop"` (string)',
    ],
    [
      { overflow: 'spill' },
      'Expected `spool` to be set when `overflow` is "spill", got `undefined` (undefined)',
    ],
    [
      { maxPending: 10, maxBatchSize: 11 },
      'Expected `maxBatchSize` to be <= maxPending (10), got `11` (number)',
    ],
    [
      { maxBatchSize: 50, batchSize: 51 },
      'Expected `batchSize` to be <= maxBatchSize (50), got `51` (number)',
    ],
    [
      { batchTimeoutMs: -1 },
      'Expected `batchTimeoutMs` to be an integer from 0 to 86400000 (ms), got `-1` (number)',
    ],
  ])('rejects %j', (options, message) => {
    expect(() => createBackpressureQueue(options as BackpressureQueueOptions)).toThrow(message);
  });

  // The original service's defaults, kept for compatibility: docs/decisions.md#configuration.
  it('defaults to the original service: 20000 pending, batches of 100 or 5 s, drop_oldest without a spool', () => {
    const m = createBackpressureQueue().stats();
    expect([m.maxPending, m.overflow, m.spool]).toEqual([20000, 'drop_oldest', undefined]);
  });
});

describe('batching', () => {
  it('lends a batch when batchSize lines are in', async () => {
    const { queue } = setup({ batchSize: 3 });
    const taken = queue.take();
    queue.push('a');
    queue.push('b');
    queue.push('c');
    const batch = await taken;
    expect(batch?.lines).toEqual(['a', 'b', 'c']);
    expect(batch?.source).toBe('memory');
  });

  it('lends a partial batch once its oldest line is batchTimeoutMs old, with one timer', async () => {
    const { queue, clock } = setup({ batchSize: 100, batchTimeoutMs: 5000 });
    let got: readonly string[] | undefined;
    void queue.take().then((b) => (got = b?.lines));
    queue.push('a');
    clock.advanceSync(1000);
    queue.push('b');
    expect(clock.pendingTimers).toBe(1);
    // A consumer awaits the batch it cuts: it holds the process open like any awaited work.
    expect(clock.pending()[0]?.keepAlive).toBe(true);
    await clock.advance(3999);
    expect(got).toBeUndefined();
    await clock.advance(1);
    expect(got).toEqual(['a', 'b']);
  });

  it('drains a backlog in batches of maxBatchSize, oldest first', async () => {
    const { queue } = setup({ batchSize: 10, maxBatchSize: 400 });
    for (const l of lines(1000)) queue.push(l);
    const sizes: number[] = [];
    const all: string[] = [];
    for (let i = 0; i < 3; i++) {
      const b = await queue.take();
      sizes.push(b?.lines.length ?? 0);
      all.push(...(b?.lines ?? []));
      b?.ack();
    }
    expect(sizes).toEqual([400, 400, 200]);
    expect(all).toEqual(lines(1000));
    expect(queue.stats()).toMatchObject({ pending: 0, accepted: 1000, delivered: 1000 });
  });

  it('flush() makes a partial batch ready now', async () => {
    const { queue } = setup({ batchSize: 100 });
    queue.push('a');
    queue.flush();
    expect((await queue.take())?.lines).toEqual(['a']);
  });

  it('take() rejects with the abort reason and leaves no waiter behind', async () => {
    const { queue } = setup({ batchSize: 2 });
    const controller = new AbortController();
    const taken = queue.take(controller.signal);
    controller.abort(new Error('stop'));
    await expect(taken).rejects.toThrow('stop');
    queue.push('a');
    queue.push('b');
    expect((await queue.take())?.lines).toEqual(['a', 'b']);
  });
});

describe('memory bound', () => {
  it('drop_oldest keeps the newest maxPending lines and counts each drop with its line', async () => {
    const { queue, drops } = setup({ maxPending: 10, batchSize: 10, overflow: 'drop_oldest' });
    const pushed = lines(15).map((l) => queue.push(l));
    expect(pushed.every(Boolean)).toBe(true);
    expect(drops.flatMap((d) => d.lines)).toEqual(lines(5));
    expect(drops.every((d) => d.reason === 'overflow' && d.count === 1)).toBe(true);
    expect(queue.stats()).toMatchObject({ pending: 10, dropped: { overflow: 5 } });
    expect((await queue.take())?.lines).toEqual(lines(10, 5));
  });

  it('drop_new refuses the push and counts it', async () => {
    const { queue, drops } = setup({ maxPending: 10, batchSize: 10, overflow: 'drop_new' });
    const pushed = lines(15).map((l) => queue.push(l));
    expect(pushed).toEqual([...Array<boolean>(10).fill(true), ...Array<boolean>(5).fill(false)]);
    expect(drops.flatMap((d) => d.lines)).toEqual(lines(5, 10));
    expect((await queue.take())?.lines).toEqual(lines(10));
  });

  it('counts lent lines in pending: a nack hands the batch back first and memory never passes the bound', async () => {
    const { queue, drops } = setup({ maxPending: 10, batchSize: 5, overflow: 'drop_oldest' });
    for (const l of lines(5)) queue.push(l);
    const first = await queue.take();
    for (const l of lines(7, 5)) queue.push(l);
    // 5 lent + 7 in memory > 10: the two oldest lines not lent out were dropped.
    expect(drops.flatMap((d) => d.lines)).toEqual(['m v=5i', 'm v=6i']);
    expect(queue.stats()).toMatchObject({ pending: 10, lentBatches: 1 });
    first?.nack(new Error('down'));
    first?.ack(); // ignored: already settled
    expect(queue.stats()).toMatchObject({ pending: 10, available: false, nacked: 1, delivered: 0 });
    queue.push('m v=12i');
    // The handed-back batch is now the oldest memory: drop_oldest takes its head.
    expect(drops.at(-1)?.lines).toEqual(['m v=0i']);
    const again = await queue.take();
    expect(again?.lines).toEqual(lines(4, 1));
    again?.ack();
    expect(queue.stats().available).toBe(true);
    expect((await queue.take())?.lines).toEqual(lines(6, 7));
  });
});

describe('close without a spool', () => {
  it('hands the rest of memory to consumers, then resolves take() with undefined', async () => {
    const { queue, drops } = setup({ batchSize: 100 });
    for (const l of lines(3)) queue.push(l);
    const closed = queue.close();
    const b = await queue.take();
    expect(b?.lines).toEqual(lines(3));
    b?.ack();
    await closed;
    expect(await queue.take()).toBeUndefined();
    expect(queue.push('late')).toBe(false);
    expect(drops).toEqual([{ reason: 'closed', count: 1, lines: ['late'] }]);
    expect(queue.stats().state).toBe('closed');
  });

  it('at the deadline counts what is still in memory, lent lines included, as dropped `closed`', async () => {
    const { queue, clock, drops } = setup({ batchSize: 2, closeTimeoutMs: 1000 });
    for (const l of lines(2)) queue.push(l);
    const lent = await queue.take();
    for (const l of lines(3, 2)) queue.push(l);
    const closed = queue.close();
    await clock.advance(1000);
    await closed;
    expect(drops).toEqual([
      { reason: 'closed', count: 2, lines: lines(2) },
      { reason: 'closed', count: 3, lines: lines(3, 2) },
    ]);
    lent?.ack(); // too late: ignored, not counted twice
    expect(queue.stats()).toMatchObject({ delivered: 0, pending: 0, dropped: { closed: 5 } });
  });
});
