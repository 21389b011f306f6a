import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ManualClock } from '@homeiq/runtime/testing';
import { createBackpressureQueue } from '../index.js';
import type { QueueBatch } from '../types.js';
import type { SpoolCorruptEvent } from './spool-types.js';
import { encodeV1Record } from './testing-internal/spool-files.js';

/**
 * A spool left by an earlier release (version-1 `.seg` segments, no sequence numbers) is replayed, around damage
 * too; what cannot be counted without sequence numbers is reported as such. New records go to `.hqs` segments.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'homeiq-v1-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a version-1 spool', () => {
  it('is replayed in order around a damaged record header, and the damage is reported as uncounted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 10 }),
        fc.nat(),
        fc.integer({ min: 0, max: 31 }),
        async (batches, which, bit) => {
          rmSync(dir, { recursive: true, force: true });
          mkdirSync(dir);
          let n = 0;
          const records = batches.map((count) => Array.from({ length: count }, () => `m v=${n++}i`));
          const buffers = records.map((lines, i) => encodeV1Record(lines, i));
          const hit = which % buffers.length;
          const damaged = buffers[hit] ?? Buffer.alloc(0);
          damaged[bit >> 3] = (damaged[bit >> 3] ?? 0) ^ (1 << (bit & 7)); // a bit of its magic
          writeFileSync(join(dir, '0500000000000000.seg'), Buffer.concat(buffers));

          const clock = new ManualClock();
          const events: SpoolCorruptEvent[] = [];
          const queue = createBackpressureQueue({
            clock,
            maxPending: 100,
            spool: { dir },
            onSpoolCorrupt: (e) => events.push(e),
          });
          const delivered: string[] = [];
          while (queue.stats().spool?.pendingLines) {
            const batch: QueueBatch | undefined = await queue.take();
            delivered.push(...(batch?.lines ?? []));
            batch?.ack();
          }
          queue.push('new v=1i');
          queue.flush();
          (await queue.take())?.nack(); // the spool is used again: the new record goes to a version-2 segment
          const closed = queue.close({ timeoutMs: 0 });
          clock.advanceSync(0);
          await closed;

          expect(delivered).toEqual(records.filter((_, i) => i !== hit).flat());
          const offset = buffers.slice(0, hit).reduce((sum, b) => sum + b.length, 0);
          expect(events).toEqual([
            expect.objectContaining({ offset, bytes: damaged.length, lines: 0, linesKnown: false }),
          ]);
          expect(readdirSync(dir).filter((f) => f.endsWith('.hqs'))).toHaveLength(1);
        },
      ),
      { numRuns: 40 },
    );
  });
});
