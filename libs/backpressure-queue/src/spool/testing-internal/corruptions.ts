import fc from 'fast-check';

/**
 * Corruptions of a file's bytes, and which original bytes survive them untouched: the fuzzer's model of a disk
 * that flips bits, tears writes, zeroes pages, replays or loses ranges. Positions are natural numbers taken
 * modulo the file's current length, so any generated corruption applies to any file.
 */
export type Corruption =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'byte'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'zero-page'; readonly page: number }
  | { readonly kind: 'duplicate'; readonly from: number; readonly length: number; readonly to: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  /** One bit of a record header (magic included: `at` < 4), `record` modulo the records of the file. */
  | { readonly kind: 'header'; readonly record: number; readonly at: number; readonly bit: number };

/** A file being corrupted: each byte with the index it had in the original file (-1: inserted). */
export interface TrackedFile {
  readonly original: Buffer;
  readonly bytes: number[];
  readonly orig: number[];
}

export const corruptionArb: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('zero-page' as const), page: fc.nat() }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    from: fc.nat(),
    length: fc.integer({ min: 1, max: 600 }),
    to: fc.nat(),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 300 }) }),
  fc.record({
    kind: fc.constant('header' as const),
    record: fc.nat(),
    at: fc.integer({ min: 0, max: 39 }),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
);

export function track(buf: Buffer): TrackedFile {
  return { original: Buffer.from(buf), bytes: [...buf], orig: [...buf.keys()] };
}

/** Applies one corruption in place; `recordStarts` are the original offsets of the file's record headers. */
export function corrupt(file: TrackedFile, c: Corruption, recordStarts: readonly number[]): void {
  const { bytes, orig } = file;
  const len = bytes.length;
  const set = (i: number, value: number): void => {
    bytes[i] = value;
  };
  switch (c.kind) {
    case 'flip':
      if (len > 0) set(c.at % len, (bytes[c.at % len] ?? 0) ^ (1 << c.bit));
      return;
    case 'byte':
      if (len > 0) set(c.at % len, c.value);
      return;
    case 'truncate':
      splice(file, c.at % (len + 1), len);
      return;
    case 'zero-page': {
      const start = (c.page % Math.max(1, Math.ceil(len / 4096))) * 4096;
      for (let i = start; i < Math.min(len, start + 4096); i++) set(i, 0);
      return;
    }
    case 'duplicate': {
      if (len === 0) return;
      const from = c.from % len;
      const end = Math.min(len, from + c.length);
      const to = c.to % (len + 1);
      const copy = bytes.slice(from, end);
      bytes.splice(to, 0, ...copy);
      orig.splice(to, 0, ...copy.map(() => -1));
      return;
    }
    case 'delete':
      if (len > 0) splice(file, c.at % len, Math.min(c.length, len - (c.at % len)));
      return;
    case 'header': {
      const start =
        recordStarts.length === 0 ? -1 : orig.indexOf(recordStarts[c.record % recordStarts.length] ?? -1);
      if (start !== -1 && start + c.at < len) set(start + c.at, (bytes[start + c.at] ?? 0) ^ (1 << c.bit));
      return;
    }
  }
}

function splice(file: TrackedFile, at: number, count: number): void {
  file.bytes.splice(at, count);
  file.orig.splice(at, count);
}

/** Whether the original bytes `[start, end)` are still in the file, in one piece, with their values. */
export function untouched(file: TrackedFile, start: number, end: number): boolean {
  const at = file.orig.indexOf(start);
  if (at === -1) return false;
  for (let k = 0; k < end - start; k++) {
    if (file.orig[at + k] !== start + k || file.bytes[at + k] !== file.original[start + k]) return false;
  }
  return true;
}

/** Whether the file differs from the original at all. */
export function modified(file: TrackedFile): boolean {
  return !Buffer.from(file.bytes).equals(file.original);
}
