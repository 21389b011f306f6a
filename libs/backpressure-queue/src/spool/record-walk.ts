import { RECORD_MAGIC, V1_HEADER_BYTES, V1_MAGIC, decodeHeader, payloadMatches } from './record-codec.js';

/** Bytes of a segment that hold no record to deliver, and the lines lost with them. */
export interface CorruptRegion {
  /** File offset of the first byte. */
  readonly offset: number;
  /** Unreadable, duplicated or stray bytes (0 for a truncated tail: the bytes are gone). */
  readonly bytes: number;
  /** Lines lost in the region. */
  lines: number;
  /** False when the lines could not all be counted (no sequence numbers, or no known end): `lines` is a floor. */
  linesKnown: boolean;
  /** The region runs to the end of the file (a torn or truncated tail). */
  readonly tail: boolean;
}

/** Where a segment's sequence range ends, when the caller knows from outside the file. */
export interface EndHint {
  readonly seq: number;
  /** No record of the segment reaches past it (a seal, the next segment's start); a head file may lag by one. */
  readonly upperBound: boolean;
}

/** A run of records that follow each other in the file and in sequence order: read straight through. */
export interface RecordRun {
  readonly offset: number;
  readonly records: number;
  /** Sequence number of the run's first line (version 2). */
  readonly seq: number | undefined;
}

/** What {@link walkRecords} found in the bytes it was given. */
export interface WalkResult {
  /** Whole, verified records to deliver (seals excluded). */
  readonly records: number;
  readonly lines: number;
  readonly firstTimeMs: number | undefined;
  /** The records in delivery order (sequence order; file order in version 1), as runs to read. */
  readonly runs: RecordRun[];
  /** In offset order; the last one may be the tail. */
  readonly regions: CorruptRegion[];
  /** Sequence after the segment's last line, when known (version 2). */
  readonly endSeq: number | undefined;
}

interface Candidate {
  readonly pos: number;
  readonly size: number;
  readonly seq: number | undefined;
  readonly lines: number;
  readonly seal: boolean;
  readonly timeMs: number;
}

const MAGIC = { 1: magicBytes(V1_MAGIC), 2: magicBytes(RECORD_MAGIC) } as const;

/**
 * Finds the records of one segment in `buf`, whose first byte is at file offset `base`. A record counts only
 * when its header and payload verify; after anything else the walk resynchronises on the next magic that starts
 * a verified record. With sequence numbers (version 2) records are delivered in sequence order, each sequence
 * once (a duplicated region gives nothing twice, wherever the copy landed), and the lines of every gap in the
 * sequence, from `startSeq` to the segment's end, are counted against the byte region where they were.
 */
export function walkRecords(
  buf: Buffer,
  base: number,
  version: 1 | 2,
  startSeq: number | undefined,
  hint: EndHint | undefined,
): WalkResult {
  const candidates = findCandidates(buf, version);
  let sealSeq: number | undefined;
  for (const c of candidates) if (c.seal && c.seq !== undefined) sealSeq = Math.max(sealSeq ?? 0, c.seq);
  const chosen =
    version === 2 ? bySequence(candidates, startSeq ?? 0, sealSeq, hint) : candidates.filter((c) => !c.seal);
  // Records before `startSeq` were delivered already (a walk again after a read failed): not corrupt.
  const read = candidates.filter((c) => !c.seal && c.seq !== undefined && c.seq < (startSeq ?? 0));
  const regions = uncovered(buf.length, base, [...chosen, ...read], candidates.at(-1));
  const runs: RecordRun[] = [];
  let records = 0;
  let lines = 0;
  let expected = startSeq;
  let previous: Candidate | undefined;
  for (const c of chosen) {
    if (c.seq !== undefined && expected !== undefined && c.seq > expected) {
      regionEndingAt(regions, base + c.pos, false).lines += c.seq - expected;
    }
    const last = runs.at(-1);
    if (last && previous && previous.pos + previous.size === c.pos) {
      runs[runs.length - 1] = { ...last, records: last.records + 1 };
    } else {
      runs.push({ offset: base + c.pos, records: 1, seq: c.seq });
    }
    records++;
    lines += c.lines;
    expected = c.seq === undefined ? undefined : c.seq + c.lines;
    previous = c;
  }
  const declaredEnd = sealSeq ?? hint?.seq;
  const end = version === 2 ? maxDefined(declaredEnd, expected) : undefined;
  if (end !== undefined && expected !== undefined && end > expected) {
    const after = base + (previous ? previous.pos + previous.size : 0);
    const lastRegion = regions.filter((r) => r.offset >= after).at(-1);
    (lastRegion ?? regionEndingAt(regions, base + buf.length, true)).lines += end - expected;
  }
  for (const r of regions) r.linesKnown = version === 2 && (!r.tail || declaredEnd !== undefined);
  regions.sort((a, b) => a.offset - b.offset);
  return { records, lines, firstTimeMs: chosen[0]?.timeMs, runs, regions, endSeq: end };
}

/** The records to deliver: in sequence order from `start`, one per sequence, inside the segment's range. */
function bySequence(
  candidates: readonly Candidate[],
  start: number,
  sealSeq: number | undefined,
  hint: EndHint | undefined,
): Candidate[] {
  const bound = sealSeq ?? (hint?.upperBound ? hint.seq : Number.POSITIVE_INFINITY);
  const sorted = candidates
    .filter((c) => !c.seal && c.seq !== undefined && c.seq >= start && c.seq + c.lines <= bound)
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.pos - b.pos);
  const out: Candidate[] = [];
  let next = start;
  for (const c of sorted) {
    if ((c.seq ?? 0) < next) continue; // a copy of one already chosen
    out.push(c);
    next = (c.seq ?? 0) + c.lines;
  }
  return out;
}

/** The byte ranges no good record covers (a seal closing the file is not one), in offset order. */
function uncovered(
  length: number,
  base: number,
  good: readonly Candidate[],
  last: Candidate | undefined,
): CorruptRegion[] {
  const spans = [...good].sort((a, b) => a.pos - b.pos);
  if (last?.seal === true && last.pos + last.size === length) spans.push(last);
  const regions: CorruptRegion[] = [];
  let pos = 0;
  for (const c of spans) {
    if (c.pos > pos) regions.push(region(base + pos, c.pos - pos, false));
    pos = Math.max(pos, c.pos + c.size);
  }
  if (pos < length) regions.push(region(base + pos, length - pos, true));
  return regions;
}

/** The region that ends where a record (or the file) starts; a zero-byte one there when the bytes are intact. */
function regionEndingAt(regions: CorruptRegion[], offset: number, tail: boolean): CorruptRegion {
  const found = regions.find((r) => r.offset + r.bytes === offset && (tail || !r.tail));
  if (found) return found;
  const created = region(offset, 0, tail);
  regions.push(created);
  return created;
}

function region(offset: number, bytes: number, tail: boolean): CorruptRegion {
  return { offset, bytes, lines: 0, linesKnown: true, tail };
}

/** Every verified record in file order, skipping from a failed position to the next occurrence of the magic. */
function findCandidates(buf: Buffer, version: 1 | 2): Candidate[] {
  const out: Candidate[] = [];
  const magic = MAGIC[version];
  let pos = buf.indexOf(magic);
  while (pos !== -1 && pos + V1_HEADER_BYTES <= buf.length) {
    const c = verifiedAt(buf, pos, version);
    if (c) out.push(c);
    pos = buf.indexOf(magic, c ? pos + c.size : pos + 1);
  }
  return out;
}

function verifiedAt(buf: Buffer, pos: number, version: 1 | 2): Candidate | undefined {
  const header = decodeHeader(buf.subarray(pos, pos + 40));
  if (header?.version !== version) return undefined;
  const size = header.headerBytes + header.payloadBytes;
  if (pos + size > buf.length || (header.seal && header.payloadBytes !== 0)) return undefined;
  const headerBytes = buf.subarray(pos, pos + header.headerBytes);
  if (!payloadMatches(header, headerBytes, buf.subarray(pos + header.headerBytes, pos + size)))
    return undefined;
  return { pos, size, seq: header.seq, lines: header.lineCount, seal: header.seal, timeMs: header.timeMs };
}

function magicBytes(magic: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(magic, 0);
  return b;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.max(a, b);
}
