import { MAX_DURATION_MS } from '@homeiq/runtime';
import { ManualClock } from '@homeiq/runtime/testing';
import { outOfRangeDurationsMs, thrownBy } from '@homeiq/testing';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackpressureQueue, type BackpressureQueueOptions } from './index.js';

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const outOfRange = (min: number) => outOfRangeDurationsMs(min, MAX_DURATION_MS);

const message = (name: string, min: number, value: number): string =>
  `Expected \`${name}\` to be an integer from ${min} to 86400000 (ms), got \`${String(value)}\` (number)`;

describe('duration options: whole milliseconds from their minimum to one day', () => {
  it.each([
    ['batchTimeoutMs', 0],
    ['closeTimeoutMs', 0],
  ] as const)('%s: any value outside [%d, 86400000] throws at construction, naming it', (key, min) => {
    fc.assert(
      fc.property(outOfRange(min), (value) => {
        const options: BackpressureQueueOptions = { [key]: value, logger: quiet };
        expect(thrownBy(() => createBackpressureQueue(options))).toMatchObject({
          code: 'ERR_INVALID_OPTION',
          message: message(key, min, value),
        });
      }),
    );
  });

  it('spool.fsyncIntervalMs: any value outside [1, 86400000] throws at construction, naming it', () => {
    // Validation comes before the spool touches the disk: the directory is never created.
    const dir = join(tmpdir(), 'homeiq-never-created');
    fc.assert(
      fc.property(outOfRange(1), (fsyncIntervalMs) => {
        const options: BackpressureQueueOptions = { spool: { dir, fsyncIntervalMs }, logger: quiet };
        expect(thrownBy(() => createBackpressureQueue(options))).toMatchObject({
          code: 'ERR_INVALID_OPTION',
          message: message('spool.fsyncIntervalMs', 1, fsyncIntervalMs),
        });
      }),
    );
  });

  it('in range, they are accepted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'homeiq-durations-'));
    try {
      const queue = createBackpressureQueue({
        batchTimeoutMs: MAX_DURATION_MS,
        closeTimeoutMs: 0,
        spool: { dir, fsyncIntervalMs: MAX_DURATION_MS },
        logger: quiet,
      });
      await queue.close({ timeoutMs: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('close({ timeoutMs })', () => {
  it('outside [0, 86400000] is refused before anything changes; a correct close() follows', async () => {
    await fc.assert(
      fc.asyncProperty(outOfRange(0), async (timeoutMs) => {
        const clock = new ManualClock();
        const queue = createBackpressureQueue({ clock, logger: quiet });
        queue.push('m v=1 1');
        await expect(queue.close({ timeoutMs })).rejects.toMatchObject({
          code: 'ERR_INVALID_OPTION',
          message: message('timeoutMs', 0, timeoutMs),
        });
        expect(queue.stats().pending).toBe(1);
        const closed = queue.close({ timeoutMs: 1000 });
        await clock.advance(1000);
        await closed;
      }),
      { examples: [[2_147_484_000]] },
    );
  });
});
