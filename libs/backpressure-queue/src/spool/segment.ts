import { join } from 'node:path';
import type { RecordRun } from './record-walk.js';

/** Segment ids are fixed-width so that file names sort in id order; prepends take ids below the first. */
const ID_WIDTH = 16;
/**
 * First sequence number (and so first segment id) in a new spool: room to prepend below and append above for the
 * life of any spool. A version-2 segment's id is the sequence number of its first line.
 */
export const FIRST_SEGMENT_ID = 5e14;
/** `.hqs`: records with sequence numbers (version 2); `.seg`: version 1, written by earlier releases. */
const NAME = /^(\d{16})\.(hqs|seg)$/;

/** One append-only segment file and how far it has been read and acknowledged. */
export interface Segment {
  readonly id: number;
  readonly path: string;
  readonly version: 1 | 2;
  size: number;
  records: number;
  lines: number;
  readOffset: number;
  readRecords: number;
  readLines: number;
  ackedRecords: number;
  ackedLines: number;
  /** Sequence number expected at `readOffset` (version 2). */
  readSeq: number | undefined;
  /** Sequence number after the segment's last line, when known (version 2). */
  endSeq: number | undefined;
  /**
   * Where the records are, in delivery order, for a segment found at start-up (corrupt regions left out: they
   * were counted then); `undefined` for one written by this run, which is read straight through.
   */
  runs: RecordRun[] | undefined;
  runIdx: number;
  /** Records left in the current run. */
  runLeft: number;
  /** Offsets of the corrupt regions reported already (a walk again after a failed read must not repeat one). */
  readonly reported: Set<number>;
  /** Batches holding lines of this segment that are not yet acknowledged (lent to a consumer or handed back). */
  inUse: number;
  /** No more appends: a full segment, a prepended one, or one found at start-up. */
  sealed: boolean;
  writeFd: number | undefined;
  readFd: number | undefined;
  firstTimeMs: number | undefined;
}

export function segmentPath(dir: string, id: number, version: 1 | 2 = 2): string {
  return join(dir, `${String(id).padStart(ID_WIDTH, '0')}.${version === 2 ? 'hqs' : 'seg'}`);
}

/** The id and record version in a segment file name, or `undefined` for any other file. */
export function parseSegmentName(name: string): { id: number; version: 1 | 2 } | undefined {
  const match = NAME.exec(name);
  if (match?.[1] === undefined) return undefined;
  return { id: Number(match[1]), version: match[2] === 'hqs' ? 2 : 1 };
}

export function newSegment(dir: string, id: number, version: 1 | 2 = 2): Segment {
  return {
    id,
    path: segmentPath(dir, id, version),
    version,
    size: 0,
    records: 0,
    lines: 0,
    readOffset: 0,
    readRecords: 0,
    readLines: 0,
    ackedRecords: 0,
    ackedLines: 0,
    readSeq: version === 2 ? id : undefined,
    endSeq: version === 2 ? id : undefined,
    runs: undefined,
    runIdx: 0,
    runLeft: 0,
    reported: new Set(),
    inUse: 0,
    sealed: false,
    writeFd: undefined,
    readFd: undefined,
    firstTimeMs: undefined,
  };
}

/** Moves the read offset to the next run once the current one is read (a no-op for a segment of this run). */
export function toNextRun(segment: Segment): void {
  const runs = segment.runs;
  if (runs === undefined) return;
  while (segment.runLeft === 0) {
    const run = runs[segment.runIdx];
    if (run === undefined) return;
    segment.runIdx++;
    segment.readOffset = run.offset;
    segment.readSeq = run.seq;
    segment.runLeft = run.records;
  }
}
