import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

/**
 * Scenario 10's disk faults: generated corruptions of the service's spool files, applied after a SIGKILL, and the
 * scenario's own count of what the spool held, read with the record format documented in
 * libs/backpressure-queue/README.md (40-byte header: magic `HQS2`, payload length, line count, …, flags).
 */
export type SpoolCorruption =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'magic'; readonly record: number; readonly bit: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'zero-page'; readonly page: number }
  | { readonly kind: 'duplicate'; readonly from: number; readonly length: number; readonly to: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number };

/** One corruption of one segment file; positions are taken modulo the file's size (`record` modulo its records). */
export interface AimedCorruption {
  readonly segment: number;
  readonly corruption: SpoolCorruption;
}

const corruptionArb: fc.Arbitrary<SpoolCorruption> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('magic' as const), record: fc.nat(), bit: fc.integer({ min: 0, max: 31 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('zero-page' as const), page: fc.nat() }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    from: fc.nat(),
    length: fc.integer({ min: 1, max: 64 * 1024 }),
    to: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 64 * 1024 }),
  }),
);

/** `count` generated cases of 1–3 corruptions each, the same for the same seed. */
export function sampleCorruptions(seed: number, count: number): AimedCorruption[][] {
  const aimed = fc.record({ segment: fc.nat(), corruption: corruptionArb });
  return fc.sample(fc.array(aimed, { minLength: 1, maxLength: 3 }), { seed, numRuns: count });
}

/** The segment files of a spool directory, in read order. */
export function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.hqs'))
    .sort()
    .map((name) => join(dir, name));
}

/** The records (seals excluded) of a clean segment file: where each starts and how many lines it holds. */
export function readRecords(buf: Buffer): { start: number; lines: number }[] {
  const records: { start: number; lines: number }[] = [];
  for (let pos = 0; pos + 40 <= buf.length; pos += 40 + buf.readUInt32BE(pos + 4)) {
    const seal = (buf.readUInt32BE(pos + 32) & 1) === 1;
    if (!seal) records.push({ start: pos, lines: buf.readUInt32BE(pos + 8) });
  }
  return records;
}

/** Lines in the clean segment files of `dir`. */
export function spooledLines(dir: string): number {
  let lines = 0;
  for (const file of segmentFiles(dir)) for (const r of readRecords(readFileSync(file))) lines += r.lines;
  return lines;
}

/** Applies the corruptions to the spool's segment files; returns how many bytes of them changed or moved. */
export function corruptSpool(dir: string, corruptions: readonly AimedCorruption[]): number {
  const files = segmentFiles(dir);
  let touched = 0;
  for (const { segment, corruption } of corruptions) {
    const path = files[segment % files.length];
    if (path === undefined) continue;
    const before = readFileSync(path);
    const after = apply(
      before,
      corruption,
      readRecords(before).map((r) => r.start),
    );
    if (!after.equals(before)) touched++;
    writeFileSync(path, after);
  }
  return touched;
}

function apply(buf: Buffer, c: SpoolCorruption, starts: readonly number[]): Buffer {
  const len = buf.length;
  const out = Buffer.from(buf);
  if (len === 0) return out;
  switch (c.kind) {
    case 'flip':
      out[c.at % len] = (out[c.at % len] ?? 0) ^ (1 << c.bit);
      return out;
    case 'magic': {
      const start = starts[c.record % Math.max(1, starts.length)] ?? 0;
      const i = start + Math.floor(c.bit / 8);
      out[i] = (out[i] ?? 0) ^ (1 << (c.bit % 8));
      return out;
    }
    case 'truncate':
      return out.subarray(0, c.at % len);
    case 'zero-page': {
      const start = (c.page % Math.ceil(len / 4096)) * 4096;
      out.fill(0, start, Math.min(len, start + 4096));
      return out;
    }
    case 'duplicate': {
      const from = c.from % len;
      const to = c.to % (len + 1);
      const copy = buf.subarray(from, Math.min(len, from + c.length));
      return Buffer.concat([buf.subarray(0, to), copy, buf.subarray(to)]);
    }
    case 'delete': {
      const at = c.at % len;
      return Buffer.concat([buf.subarray(0, at), buf.subarray(Math.min(len, at + c.length))]);
    }
  }
}

/**
 * The issue's reproduction: one bit of the magic of the record in the middle of the middle segment; with the
 * lines that record holds (what must be counted lost).
 */
export function issueExample(dir: string): { corruptions: AimedCorruption[]; lines: number } {
  const files = segmentFiles(dir);
  const segment = Math.floor(files.length / 2);
  const records = readRecords(readFileSync(files[segment] ?? ''));
  const record = Math.floor(records.length / 2);
  return {
    corruptions: [{ segment, corruption: { kind: 'magic', record, bit: 0 } }],
    lines: records[record]?.lines ?? 0,
  };
}
