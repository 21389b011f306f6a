import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ManualClock } from '@homeiq/runtime/testing';
import { createBackpressureQueue, type BackpressureQueue } from '../index.js';
import type { SpoolCorruptEvent } from './spool-types.js';
import { cleanRecords, closeNow, drain } from './testing-internal/spool-files.js';

/**
 * Damage that happens while the queue runs, after the start-up scan (or in a segment this run is writing): the
 * reader finds it when it gets there, resumes at the next good record, and counts exactly the damaged one.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'homeiq-read-corrupt-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Open {
  readonly queue: BackpressureQueue;
  readonly clock: ManualClock;
  readonly events: SpoolCorruptEvent[];
}

function open(): Open {
  const clock = new ManualClock();
  const events: SpoolCorruptEvent[] = [];
  const queue = createBackpressureQueue({
    clock,
    maxPending: 100,
    batchSize: 100,
    spool: { dir },
    onSpoolCorrupt: (e) => events.push(e),
  });
  return { queue, clock, events };
}

describe('corruption found on read-back', () => {
  it('skips exactly the damaged record, in a segment being written or one found at start-up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 12 }),
        fc.nat(),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 7 }),
        fc.boolean(),
        async (batches, which, at, bit, restart) => {
          rmSync(dir, { recursive: true, force: true });
          let o = open();
          const all: string[] = [];
          for (const [b, n] of batches.entries()) {
            for (let i = 0; i < n; i++) all.push(`m,k=${all.length} v=1i`);
            for (const line of all.slice(all.length - n)) o.queue.push(line);
            o.queue.flush();
            if (b === 0) (await o.queue.take())?.nack(new Error('InfluxDB down'));
          }
          if (restart) {
            await closeNow(o.queue, o.clock);
            o = open();
          }
          const newest = readdirSync(dir)
            .filter((f) => f.endsWith('.hqs') || f.endsWith('.seg'))
            .sort()
            .at(-1);
          const path = join(dir, newest ?? '');
          const recs = cleanRecords(path, readFileSync(path));
          const hit = recs[which % recs.length];
          const buf = readFileSync(path);
          const i = (hit?.start ?? 0) + at;
          buf[i] = (buf[i] ?? 0) ^ (1 << bit);
          writeFileSync(path, buf);

          const delivered = await drain(o.queue, o.clock);
          const lost = hit?.lines.length ?? 0;
          expect(delivered.length).toBe(all.length - lost);
          expect(delivered).toEqual(all.filter((l) => delivered.includes(l)));
          expect(o.queue.stats().dropped.spool_corrupt).toBe(lost);
          expect(o.events).toMatchObject([{ file: path, offset: hit?.start, lines: lost, linesKnown: true }]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
