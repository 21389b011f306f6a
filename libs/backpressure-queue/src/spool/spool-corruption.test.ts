import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ManualClock } from '@homeiq/runtime/testing';
import { createBackpressureQueue, type DropEvent } from '../index.js';
import type { SpoolCorruptEvent } from './spool-types.js';
import {
  corrupt,
  corruptionArb,
  modified,
  track,
  untouched,
  type Corruption,
  type TrackedFile,
} from './testing-internal/corruptions.js';
import { cleanRecords, closeNow, drain, type CleanRecord } from './testing-internal/spool-files.js';

/**
 * The corruption fuzzer: batches written through the real spool into a temporary directory, the files corrupted
 * (bit and byte flips anywhere, headers and magic included, truncations, zeroed 4 KiB pages, duplicated and
 * deleted ranges, the head files too), a new queue opened on them and drained. For every case: each delivered
 * line was spooled, once, in order; delivered + counted lost = spooled; every record the corruption left intact
 * is delivered; and each corrupt region is reported.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'homeiq-corrupt-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const options = { maxPending: 100, batchSize: 100, maxBatchSize: 100 } as const;
/** Small segments (the least the options allow, or 4 KiB): many boundaries, and a page that spans records. */
let segmentMaxBytes = 1024;
const spool = (): { dir: string; segmentMaxBytes: number } => ({ dir, segmentMaxBytes });

/** Spools each batch as one record (the first is lent and handed back first: it lands in a prepended segment). */
async function spoolBatches(batches: readonly (readonly number[])[]): Promise<string[]> {
  const clock = new ManualClock();
  const drops: DropEvent[] = [];
  const queue = createBackpressureQueue({ ...options, clock, spool: spool(), onDrop: (d) => drops.push(d) });
  const all: string[] = [];
  for (const [b, pads] of batches.entries()) {
    for (const pad of pads) {
      const line = `m,k=${all.length} v=${all.length}i ${'x'.repeat(pad)}`;
      all.push(line);
      queue.push(line);
    }
    queue.flush();
    if (b === 0) (await queue.take())?.nack(new Error('InfluxDB down'));
  }
  await closeNow(queue, clock);
  expect(drops).toEqual([]);
  return all;
}

interface Reopened {
  delivered: string[];
  lost: number;
  events: SpoolCorruptEvent[];
}

async function reopenAndDrain(): Promise<Reopened> {
  const clock = new ManualClock();
  const events: SpoolCorruptEvent[] = [];
  const queue = createBackpressureQueue({
    ...options,
    clock,
    spool: spool(),
    onSpoolCorrupt: (e) => events.push(e),
  });
  const delivered = await drain(queue, clock);
  return { delivered, lost: queue.stats().dropped.spool_corrupt, events };
}

/** A record of a clean segment file, read with this test's own reading of the format, and its file. */
type FileRecord = CleanRecord & { readonly file: string };

/** A corruption aimed at one file: a segment, or now and then one of the head files. */
interface Aimed {
  readonly head: boolean;
  readonly target: number;
  readonly corruption: Corruption;
}

const aimedArb: fc.Arbitrary<Aimed> = fc.record({
  head: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
  target: fc.nat(),
  corruption: corruptionArb,
});

const batchesArb = fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }), {
  minLength: 1,
  maxLength: 24,
});

async function check(
  batches: readonly (readonly number[])[],
  aimed: readonly Aimed[],
): Promise<Reopened & { records: FileRecord[] }> {
  const all = await spoolBatches(batches);
  const names = readdirSync(dir).sort();
  const segments = names.filter((n) => n.endsWith('.hqs') || n.endsWith('.seg'));
  const heads = names.filter((n) => n.startsWith('head.'));
  const files = new Map<string, TrackedFile>();
  const records: FileRecord[] = [];
  for (const name of segments) {
    const buf = readFileSync(join(dir, name));
    files.set(name, track(buf));
    records.push(...cleanRecords(name, buf).map((r) => ({ ...r, file: name })));
  }
  for (const name of heads) files.set(name, track(readFileSync(join(dir, name))));
  expect(records.flatMap((r) => r.lines)).toEqual(all);

  for (const { head, target, corruption } of aimed) {
    const pool = head && heads.length > 0 ? heads : segments;
    const name = pool[target % pool.length] ?? '';
    const file = files.get(name);
    const starts = records.filter((r) => r.file === name).map((r) => r.start);
    if (file) corrupt(file, corruption, starts);
  }
  for (const [name, file] of files)
    if (modified(file)) writeFileSync(join(dir, name), Buffer.from(file.bytes));
  const headTouched = heads.some((h) => files.get(h) !== undefined && modified(files.get(h) as TrackedFile));

  const { delivered, lost, events } = await reopenAndDrain();

  // Nothing that was not spooled, nothing twice, nothing out of order.
  const index = new Map(all.map((line, i) => [line, i]));
  let last = -1;
  for (const line of delivered) {
    const i = index.get(line) ?? -1;
    expect(i).toBeGreaterThan(last);
    last = i;
  }
  // Every line is delivered or counted, and the events carry the count.
  expect(events.reduce((sum, e) => sum + e.lines, 0)).toBe(lost);
  const known = events.every((e) => e.linesKnown);
  if (!headTouched) expect(known).toBe(true);
  if (known) expect(delivered.length + lost).toBe(all.length);
  else expect(delivered.length + lost).toBeLessThanOrEqual(all.length);
  // No record the corruption left intact is lost; a record it touched is reported.
  const got = new Set(delivered);
  const intact = records.filter((r) => {
    const file = files.get(r.file);
    return file !== undefined && untouched(file, r.start, r.end);
  });
  expect(intact.flatMap((r) => r.lines).filter((l) => !got.has(l))).toEqual([]);
  if (intact.length < records.length && !headTouched) expect(events.length).toBeGreaterThan(0);
  return { delivered, lost, events, records };
}

describe('spool corruption', () => {
  it("the issue's example: one bit of a record header's magic in the middle of a segment", async () => {
    segmentMaxBytes = 1024;
    // Segment 0 is the prepended batch; segment 1 holds the next records (1 KiB each: several of 2 lines).
    const { delivered, lost, events, records } = await check(
      Array.from({ length: 12 }, () => [0, 0]),
      [{ head: false, target: 1, corruption: { kind: 'header', record: 3, at: 0, bit: 0 } }],
    );
    const segment = [...new Set(records.map((r) => r.file))][1] ?? '';
    const hit = records.filter((r) => r.file === segment)[3];
    expect(records.filter((r) => r.file === segment).length).toBeGreaterThan(4);
    expect(lost).toBe(2);
    expect(delivered.length).toBe(22);
    expect(events).toEqual([
      {
        file: join(dir, segment),
        offset: hit?.start,
        bytes: (hit?.end ?? 0) - (hit?.start ?? 0),
        lines: 2,
        linesKnown: true,
        tail: false,
      },
    ]);
  });

  it('every copy of the head destroyed and the segment emptied: reported as uncountable, not silent', async () => {
    segmentMaxBytes = 1024;
    // Found by the property below (seed 2104330060): with no readable head, an emptied file left no trace.
    const { delivered, events } = await check(
      [[0]],
      [
        { head: true, target: 0, corruption: { kind: 'flip', at: 0, bit: 0 } },
        { head: true, target: 1, corruption: { kind: 'delete', at: 0, length: 1 } },
        { head: false, target: 0, corruption: { kind: 'truncate', at: 0 } },
      ],
    );
    expect(delivered).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ linesKnown: false, file: join(dir, 'head.0') })]);
  });

  it('delivers or counts every spooled line, whatever the corruption', async () => {
    await fc.assert(
      fc.asyncProperty(
        batchesArb,
        fc.array(aimedArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(1024, 4096),
        async (batches, aimed, segmentBytes) => {
          rmSync(dir, { recursive: true, force: true });
          segmentMaxBytes = segmentBytes;
          await check(batches, aimed);
        },
      ),
      { numRuns: 150 },
    );
  });
});
