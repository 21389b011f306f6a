import { join } from 'node:path';
import { QueueError } from '../errors.js';
import { RECORD_HEADER_BYTES, decodeHeader } from './record-codec.js';
import { readFully, type SpoolFs } from './spool-fs.js';

/** Segment ids are fixed-width so that file names sort in id order; prepends take ids below the first. */
const ID_WIDTH = 16;
/** First id in an empty directory: room to prepend below and append above for the life of any spool. */
export const FIRST_SEGMENT_ID = 5e14;
const NAME = /^(\d{16})\.seg$/;

/** One append-only segment file and how far it has been read and acknowledged. */
export interface Segment {
  readonly id: number;
  readonly path: string;
  size: number;
  records: number;
  lines: number;
  readOffset: number;
  readRecords: number;
  readLines: number;
  ackedRecords: number;
  ackedLines: number;
  /** Batches holding lines of this segment that are not yet acknowledged (lent to a consumer or handed back). */
  inUse: number;
  /** No more appends: a full segment, a prepended one, or one found at start-up. */
  sealed: boolean;
  writeFd: number | undefined;
  readFd: number | undefined;
  firstTimeMs: number | undefined;
}

export function segmentPath(dir: string, id: number): string {
  return join(dir, `${String(id).padStart(ID_WIDTH, '0')}.seg`);
}

/** The id in a segment file name, or `undefined` for any other file. */
export function parseSegmentName(name: string): number | undefined {
  const match = NAME.exec(name);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function newSegment(dir: string, id: number): Segment {
  return {
    id,
    path: segmentPath(dir, id),
    size: 0,
    records: 0,
    lines: 0,
    readOffset: 0,
    readRecords: 0,
    readLines: 0,
    ackedRecords: 0,
    ackedLines: 0,
    inUse: 0,
    sealed: false,
    writeFd: undefined,
    readFd: undefined,
    firstTimeMs: undefined,
  };
}

/** What a start-up scan found in one segment file. */
export interface ScanResult {
  readonly segment: Segment;
  /** Bytes after the last whole record (a write torn by a crash), truncated away. */
  readonly tornBytes: number;
}

/**
 * Reads the record headers of a segment left by an earlier run (payloads are checked by CRC when read back),
 * truncating a torn tail so the next reader never sees half a record.
 */
export function scanSegment(fsys: SpoolFs, dir: string, id: number): ScanResult {
  const segment = newSegment(dir, id);
  segment.sealed = true;
  const fileSize = fsys.fileSize(segment.path);
  const fd = fsys.openSync(segment.path, 'r+');
  try {
    let offset = 0;
    while (offset < fileSize) {
      const header = decodeHeader(readFully(fsys, fd, RECORD_HEADER_BYTES, offset));
      if (!header || offset + RECORD_HEADER_BYTES + header.payloadBytes > fileSize) break;
      segment.firstTimeMs ??= header.timeMs;
      segment.records++;
      segment.lines += header.lineCount;
      offset += RECORD_HEADER_BYTES + header.payloadBytes;
    }
    if (offset < fileSize) fsys.ftruncateSync(fd, offset);
    segment.size = offset;
    return { segment, tornBytes: fileSize - offset };
  } finally {
    fsys.closeSync(fd);
  }
}

/**
 * Finds the segments an earlier run left in `dir`, in order, dropping empty ones and `.tmp` leftovers (a prepend a
 * crash interrupted: its lines were only in memory then, so nothing is lost twice).
 */
export function scanSpoolDir(fsys: SpoolFs, dir: string): { segments: Segment[]; tornBytes: number } {
  const segments: Segment[] = [];
  let tornBytes = 0;
  try {
    for (const name of fsys.readdirSync(dir).sort()) {
      if (name.endsWith('.seg.tmp')) fsys.unlinkSync(join(dir, name));
      const id = parseSegmentName(name);
      if (id === undefined) continue;
      const scanned = scanSegment(fsys, dir, id);
      tornBytes += scanned.tornBytes;
      if (scanned.segment.records === 0) fsys.unlinkSync(scanned.segment.path);
      else segments.push(scanned.segment);
    }
  } catch (error) {
    throw new QueueError('ERR_SPOOL_IO', `Cannot read the spool directory ${dir}`, { cause: error });
  }
  return { segments, tornBytes };
}
