import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';

/**
 * The newest time up to which every live change is durable — written to InfluxDB or spooled to disk — kept in
 * `DATA_DIR/watermark.json`. After a crash, the restart's backfill starts there rather than at the state memory,
 * which is saved a minute behind: the recorder's changes up to the watermark have landed and are not written again.
 *
 * The queue says how old its oldest line in memory is (lent batches included); every line pushed before that is
 * out of memory, so acknowledged or spooled (or dropped, and counted). Each queued change is remembered with the
 * millisecond it was pushed, until a tick finds it older than the oldest line in memory: then it is durable.
 */
export interface DurableWatermark {
  /** The watermark the last run left (epoch µs), or undefined. */
  readonly restored: number | undefined;
  /** A change was queued; `eventUs` is its `time_fired`. Called on the hot path: two array writes. */
  pushed(eventUs: number): void;
  /** Advances with the queue's `oldestPendingAgeMs` (undefined: memory empty) and saves a newer watermark. */
  tick(oldestPendingAgeMs: number | undefined): Promise<void>;
  /** The current watermark, epoch µs (0 before the first durable change). */
  readonly value: number;
}

interface WatermarkFile {
  readonly format: 1;
  /** The HA the changes came from: another HA's watermark is not used. */
  readonly haUrl: string;
  readonly durableUntil: string;
  readonly durableUntilUs: number;
}

export function createDurableWatermark(options: {
  readonly path: string;
  readonly haUrl: string;
  readonly log: Logger;
  /** @default Date.now */
  readonly now?: () => number;
}): DurableWatermark {
  const { path, haUrl, log, now = Date.now } = options;
  const restored = load(path, haUrl, log);
  let watermarkUs = restored ?? 0;
  let savedUs = watermarkUs;
  // The queued changes not yet known durable, oldest first: when each was pushed, and its time.
  let pushedAtMs: number[] = [];
  let pushedUs: number[] = [];
  let head = 0;
  let writing: Promise<void> = Promise.resolve();

  return {
    restored,
    get value() {
      return watermarkUs;
    },
    pushed(eventUs) {
      pushedAtMs.push(now());
      pushedUs.push(eventUs);
    },
    tick(oldestPendingAgeMs) {
      const atMs = now();
      // Lines pushed before the oldest one in memory have left it. Strictly before: another line of the same
      // millisecond may still be in memory.
      const oldestPushedAtMs = oldestPendingAgeMs === undefined ? Infinity : atMs - oldestPendingAgeMs;
      while (head < pushedAtMs.length && (pushedAtMs[head] as number) < oldestPushedAtMs) {
        watermarkUs = Math.max(watermarkUs, pushedUs[head] as number);
        head++;
      }
      // Bounded: past 2 million waiting lines (an outage without a spool) the oldest are forgotten. Memory is first
      // in, first out, so they leave it before every line remembered here: the watermark stays true.
      const waiting = pushedAtMs.length - head;
      if (head > 65_536 || waiting > 2_000_000) {
        const from = Math.max(head, pushedAtMs.length - 2_000_000);
        pushedAtMs = pushedAtMs.slice(from);
        pushedUs = pushedUs.slice(from);
        head = 0;
      }
      if (watermarkUs === savedUs) return writing;
      const file: WatermarkFile = {
        format: 1,
        haUrl,
        durableUntil: new Date(Math.floor(watermarkUs / 1000)).toISOString(),
        durableUntilUs: watermarkUs,
      };
      savedUs = watermarkUs;
      writing = writing.then(async () => {
        try {
          await writeFile(`${path}.tmp`, JSON.stringify(file));
          await rename(`${path}.tmp`, path);
        } catch (error) {
          log.warn({ path, error: String(error) }, 'cannot write the durable watermark');
        }
      });
      return writing;
    },
  };
}

function load(path: string, haUrl: string, log: Logger): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      log.warn({ path, error: String(error) }, 'cannot read the durable watermark');
    return undefined;
  }
  try {
    const file = JSON.parse(text) as Partial<WatermarkFile>;
    if (
      file.format !== 1 ||
      typeof file.durableUntilUs !== 'number' ||
      !Number.isSafeInteger(file.durableUntilUs)
    )
      throw new Error('not a watermark file');
    return file.haUrl === haUrl ? file.durableUntilUs : undefined;
  } catch (error) {
    log.warn(
      { path, error: String(error) },
      'durable watermark unreadable; the restart backfill starts at the state memory',
    );
    return undefined;
  }
}
