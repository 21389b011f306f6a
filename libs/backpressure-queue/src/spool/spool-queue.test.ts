import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@homeiq/runtime/testing';
import {
  createBackpressureQueue,
  type BackpressureQueue,
  type BackpressureQueueOptions,
  type DropEvent,
  type QueueError,
} from '../index.js';
import type { SpoolOptions } from '../options.js';
import { nodeSpoolFs } from './spool-fs.js';
import { closeNow, drain } from './testing-internal/spool-files.js';

const lines = (n: number, from = 0): string[] =>
  Array.from({ length: n }, (_, i) => `m,host=h v=${from + i}i ${from + i}`);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'homeiq-spool-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Setup {
  clock: ManualClock;
  drops: DropEvent[];
  errors: QueueError[];
  queue: BackpressureQueue;
}

function open(options: BackpressureQueueOptions = {}, spool: Partial<SpoolOptions> = {}): Setup {
  const clock = new ManualClock();
  const drops: DropEvent[] = [];
  const errors: QueueError[] = [];
  const queue = createBackpressureQueue({
    clock,
    maxPending: 10,
    batchSize: 5,
    onDrop: (e) => drops.push(e),
    onError: (e) => errors.push(e),
    ...options,
    spool: { dir, ...spool },
  });
  return { clock, drops, errors, queue };
}

const segments = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.hqs'));

describe('spill', () => {
  it('moves memory to disk at the bound and lends everything back in push order', async () => {
    const { queue, clock } = open();
    for (const l of lines(25)) expect(queue.push(l)).toBe(true);
    const m = queue.stats();
    expect(m.pending).toBeLessThanOrEqual(10);
    expect(m.pending + (m.spool?.pendingLines ?? 0)).toBe(25);
    expect(segments().length).toBeGreaterThan(0);
    expect(await drain(queue, clock)).toEqual(lines(25));
    expect(segments()).toEqual([]);
    expect(queue.stats()).toMatchObject({ delivered: 25, dropped: { overflow: 0, spool_full: 0 } });
  });

  it('on a nack spills memory and the handed-back batch, which stays first', async () => {
    const { queue, clock } = open({ maxPending: 100 });
    for (const l of lines(5)) queue.push(l);
    const lent = await queue.take();
    for (const l of lines(3, 5)) queue.push(l);
    lent?.nack(new Error('influx down'));
    expect(queue.stats()).toMatchObject({ pending: 0, available: false, spool: { pendingLines: 8 } });
    // While unavailable, a ready batch goes to disk rather than waiting in memory.
    for (const l of lines(5, 8)) queue.push(l);
    expect(queue.stats().pending).toBe(0);
    const again = await queue.take();
    expect(again?.source).toBe('spool');
    expect(again?.lines).toEqual(lines(13));
    again?.ack();
    expect(queue.stats()).toMatchObject({ available: true, spool: { pendingLines: 0, bytes: 0 } });
    for (const l of lines(5, 13)) queue.push(l);
    expect((await queue.take())?.source).toBe('memory');
    await closeNow(queue, clock);
  });

  it('spills on retrying() while the consumer keeps its batch; the batch stays first when acked', async () => {
    const { queue, clock } = open({ maxPending: 100 });
    for (const l of lines(5)) queue.push(l);
    const lent = await queue.take();
    for (const l of lines(3, 5)) queue.push(l);
    expect(queue.stats().pending).toBe(8);
    lent?.retrying(new Error('influx down'));
    expect(queue.stats()).toMatchObject({
      pending: 5,
      available: false,
      nacked: 0,
      spool: { pendingLines: 3 },
    });
    lent?.ack();
    lent?.retrying(); // settled already: ignored
    expect(queue.stats()).toMatchObject({ available: true, delivered: 5 });
    expect(await drain(queue, clock)).toEqual(lines(3, 5));
  });

  it('replays a spool left by an earlier run before anything pushed now, and deletes acknowledged segments', async () => {
    const first = open({ maxPending: 100, batchSize: 10, maxBatchSize: 10 }, { segmentMaxBytes: 1024 });
    for (const l of lines(60)) first.queue.push(l);
    const lent = await first.queue.take();
    lent?.nack();
    await closeNow(first.queue, first.clock);
    expect(segments().length).toBeGreaterThan(1);

    const second = open({ maxPending: 100, batchSize: 10 }, { segmentMaxBytes: 1024 });
    second.queue.push('new v=1i');
    expect(await drain(second.queue, second.clock)).toEqual([...lines(60), 'new v=1i']);
    expect(segments()).toEqual([]);
  });

  it('after a restart replays only segments not fully acknowledged', async () => {
    const first = open({ maxPending: 1000, batchSize: 10, maxBatchSize: 10 }, { segmentMaxBytes: 1024 });
    for (const l of lines(40)) first.queue.push(l);
    (await first.queue.take())?.nack();
    const acked: string[] = [];
    for (let i = 0; i < 2; i++) {
      const b = await first.queue.take();
      acked.push(...(b?.lines ?? []));
      b?.ack();
    }
    await closeNow(first.queue, first.clock);
    const second = open({ batchSize: 10 }, { segmentMaxBytes: 1024 });
    const replayed = await drain(second.queue, second.clock);
    // At-least-once: the first unacknowledged line is replayed, nothing before the segment holding it is.
    expect(acked).toEqual(lines(20));
    expect(replayed.at(-1)).toBe(lines(40).at(-1));
    expect(replayed).toContain(lines(21).at(-1));
    expect(replayed.length).toBeLessThan(40);
    expect(lines(40).slice(40 - replayed.length)).toEqual(replayed);
  });
});

describe('disk budget', () => {
  const budget = { maxBytes: 4096, segmentMaxBytes: 1024 };

  it('drop_oldest evicts whole segments from the front and counts every line of them', async () => {
    const { queue, drops, clock } = open({ maxPending: 20, batchSize: 10 }, budget);
    for (const l of lines(400)) queue.push(l);
    const m = queue.stats();
    expect(m.spool?.bytes).toBeLessThanOrEqual(4096);
    expect(m.spool?.evictedSegments).toBeGreaterThan(0);
    const dropped = drops.filter((d) => d.reason === 'spool_full').reduce((s, d) => s + d.count, 0);
    expect(m.dropped.spool_full).toBe(dropped);
    const delivered = await drain(queue, clock);
    expect(delivered.length + dropped).toBe(400);
    // What survives is the newest run, in order.
    expect(delivered).toEqual(lines(400).slice(400 - delivered.length));
  });

  it('drop_new refuses records that do not fit and reports their lines', async () => {
    const { queue, drops, clock } = open(
      { maxPending: 20, batchSize: 10 },
      { ...budget, overflow: 'drop_new' },
    );
    for (const l of lines(400)) queue.push(l);
    const droppedLines = drops.filter((d) => d.reason === 'spool_full').flatMap((d) => d.lines ?? []);
    const delivered = await drain(queue, clock);
    expect(delivered.length + droppedLines.length).toBe(400);
    expect(delivered).toEqual(lines(delivered.length));
    expect(droppedLines.sort()).toEqual(lines(400).slice(delivered.length).sort());
  });
});

describe('failures and corruption', () => {
  it('keeps lines in memory while the disk fails (ENOSPC), reports it, and spills once it works again', async () => {
    let full = false;
    const fs = {
      ...nodeSpoolFs,
      writeSync: (fd: number, buf: Uint8Array, off: number, len: number) => {
        if (full) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return nodeSpoolFs.writeSync(fd, buf, off, len);
      },
    };
    const { queue, clock, errors, drops } = open({ maxPending: 10 }, { fs });
    full = true;
    for (const l of lines(12)) queue.push(l);
    expect(errors[0]?.code).toBe('ERR_SPOOL_IO');
    expect(drops).toEqual([
      { reason: 'spool_error', count: 1, lines: lines(1) },
      { reason: 'spool_error', count: 1, lines: lines(1, 1) },
    ]);
    full = false;
    for (const l of lines(5, 12)) queue.push(l);
    expect(queue.stats().spool?.pendingLines).toBeGreaterThan(0);
    expect(await drain(queue, clock)).toEqual(lines(15, 2));
  });

  it('skips a torn tail and a record failing its CRC, counting both, and truncates nothing', async () => {
    const first = open({ maxPending: 100, batchSize: 10, maxBatchSize: 10 });
    for (const l of lines(30)) first.queue.push(l);
    (await first.queue.take())?.nack();
    await closeNow(first.queue, first.clock);
    // The handed-back batch went to a segment of its own in front; the other two records share the last one.
    const file = segments().at(-1);
    const path = join(dir, file ?? '');
    // Flip a byte inside the second record's payload, and leave half a header at the end.
    const bytes = readFileSync(path);
    const firstRecord = 40 + bytes.readUInt32BE(4);
    bytes[firstRecord + 50] = (bytes[firstRecord + 50] ?? 0) ^ 1;
    writeFileSync(path, bytes);
    appendFileSync(path, Buffer.from([0x48, 0x51, 0x53]));
    const size = readFileSync(path).length;

    const second = open({ maxPending: 100, batchSize: 10 });
    expect(readFileSync(path).length).toBe(size);
    const replayed = await drain(second.queue, second.clock);
    const m = second.queue.stats();
    expect(m.dropped.spool_corrupt).toBe(30 - replayed.length);
    expect(m.dropped.spool_corrupt).toBeGreaterThan(0);
    expect(m.spool?.corruptBytes).toBeGreaterThan(3);
    expect(replayed).toEqual(lines(30).filter((l) => replayed.includes(l)));
  });

  it('gives the lock back when the directory cannot be read, so a retry succeeds', async () => {
    let broken = true;
    const fs = {
      ...nodeSpoolFs,
      readdirSync: (path: string) => {
        if (broken) throw Object.assign(new Error('EIO: i/o error, scandir'), { code: 'EIO' });
        return nodeSpoolFs.readdirSync(path);
      },
    };
    expect(() => open({}, { fs })).toThrow(expect.objectContaining({ code: 'ERR_SPOOL_IO' }) as Error);
    expect(readdirSync(dir)).not.toContain('LOCK');
    broken = false;
    const { queue, clock } = open({}, { fs });
    await closeNow(queue, clock);
  });

  it('refuses a second queue on a directory in use', async () => {
    const { queue, clock } = open();
    expect(() => open()).toThrow(expect.objectContaining({ code: 'ERR_SPOOL_LOCKED' }) as Error);
    await closeNow(queue, clock);
  });
});

describe('fsync policy', () => {
  function counting(): { fs: typeof nodeSpoolFs; syncs: () => number } {
    let n = 0;
    return {
      fs: {
        ...nodeSpoolFs,
        fsyncSync: (fd: number) => {
          n++;
          nodeSpoolFs.fsyncSync(fd);
        },
      },
      syncs: () => n,
    };
  }

  it.each([
    ['always', 4, 4],
    ['interval', 0, 3], // the segment and both head files
    ['never', 0, 0],
  ] as const)('%s: %i fsyncs at once, %i after the interval', async (fsync, atOnce, later) => {
    const { fs, syncs } = counting();
    const { queue, clock } = open({ maxPending: 100 }, { fsync, fs, fsyncIntervalMs: 1000 });
    queue.push('a');
    queue.flush();
    (await queue.take())?.nack();
    const before = syncs();
    for (const l of lines(20)) queue.push(l);
    expect(syncs() - before).toBe(atOnce);
    // The interval fsync is background work: it never holds the process open (close() syncs by itself).
    expect(clock.pending()).toEqual(
      fsync === 'interval' ? [{ delayMs: 1000, dueInMs: 1000, keepAlive: false }] : [],
    );
    clock.advanceSync(1000);
    expect(syncs() - before).toBe(Math.max(atOnce, later));
    await closeNow(queue, clock);
  });
});
