import { crc32 } from 'node:zlib';
import type { ManualClock } from '@homeiq/runtime/testing';
import type { BackpressureQueue } from '../../index.js';
import type { QueueBatch } from '../../types.js';

/**
 * The spool tests' own reading and writing of the on-disk format (README.md, "Record format"), independent of the
 * code under test, and their way of emptying a queue on a manual clock.
 */

/** A record of a clean segment file: where it starts and ends, and its lines. */
export interface CleanRecord {
  readonly start: number;
  readonly end: number;
  readonly lines: string[];
}

/**
 * The records (seals left out) of an undamaged segment: `.hqs` (40-byte headers, bit 0 of the flags at 32 marks a
 * seal) or `.seg` as earlier releases wrote it (24-byte headers, no seal).
 */
export function cleanRecords(name: string, buf: Buffer): CleanRecord[] {
  const out: CleanRecord[] = [];
  const v2 = name.endsWith('.hqs');
  const headerBytes = v2 ? 40 : 24;
  for (let pos = 0; pos + headerBytes <= buf.length;) {
    const end = pos + headerBytes + buf.readUInt32BE(pos + 4);
    const lines: string[] = [];
    for (let at = pos + headerBytes; at < end;) {
      const n = buf.readUInt32BE(at);
      lines.push(buf.toString('utf8', at + 4, at + 4 + n));
      at += 4 + n;
    }
    const seal = v2 && (buf.readUInt32BE(pos + 32) & 1) === 1;
    if (!seal) out.push({ start: pos, end, lines });
    pos = end;
  }
  return out;
}

/** A version-1 record as earlier releases wrote it (24-byte header, one CRC over its fields and the payload). */
export function encodeV1Record(lines: readonly string[], timeMs: number): Buffer {
  const payload = Buffer.concat(
    lines.flatMap((l) => {
      const n = Buffer.alloc(4);
      n.writeUInt32BE(Buffer.byteLength(l), 0);
      return [n, Buffer.from(l)];
    }),
  );
  const head = Buffer.alloc(24);
  head.write('HQS1', 0, 'latin1');
  head.writeUInt32BE(payload.length, 4);
  head.writeUInt32BE(lines.length, 8);
  head.writeDoubleBE(timeMs, 16);
  head.writeUInt32BE(crc32(payload, crc32(head.subarray(16, 24), crc32(head.subarray(4, 12)))), 12);
  return Buffer.concat([head, payload]);
}

/** Closes with a zero deadline (on the manual clock). */
export async function closeNow(queue: BackpressureQueue, clock: ManualClock): Promise<void> {
  const closed = queue.close({ timeoutMs: 0 });
  clock.advanceSync(0);
  await closed;
}

/** Takes and acknowledges batches until nothing is ready, then closes; returns their lines in order. */
export async function drain(queue: BackpressureQueue, clock: ManualClock): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    queue.flush();
    const got: { batch?: QueueBatch | undefined } = {};
    const taken = queue.take().then((b) => (got.batch = b));
    await clock.advance(0);
    const batch = got.batch;
    if (!batch) {
      await closeNow(queue, clock);
      await taken;
      return out;
    }
    out.push(...batch.lines);
    batch.ack();
  }
}
