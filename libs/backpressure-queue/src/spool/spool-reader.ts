import { RECORD_HEADER_BYTES, V1_HEADER_BYTES, decodeHeader, decodePayload } from './record-codec.js';
import { walkRecords, type CorruptRegion } from './record-walk.js';
import type { SegmentFiles } from './segment-files.js';
import { toNextRun, type Segment } from './segment.js';
import { readFully } from './spool-fs.js';
import type { SpoolConfig, SpoolRead, SpoolRef, SpoolState } from './spool-types.js';

/**
 * The spool's read-back: whole records in segment order, coalesced into batches, each record checked by its
 * CRCs. Regions the start-up scan found corrupt are stepped over (they were counted then). A record that fails
 * its check here (the file changed since) makes the reader walk the rest of the segment again from that point:
 * it resumes at the next verified record and counts the lines in between as dropped `spool_corrupt`.
 */
export class SpoolReader {
  readonly #c: SpoolConfig;
  readonly #s: SpoolState;
  readonly #files: SegmentFiles;

  constructor(config: SpoolConfig, state: SpoolState, files: SegmentFiles) {
    this.#c = config;
    this.#s = state;
    this.#files = files;
  }

  /** Reads whole records in order, up to `maxLines` lines (at least one record); `undefined` when none is unread. */
  read(maxLines: number): SpoolRead | undefined {
    const s = this.#s;
    const lines: string[] = [];
    const refs: SpoolRef[] = [];
    let timeMs: number | undefined;
    while (s.unreadRecords > 0) {
      const segment = s.segments[s.readIdx];
      if (!segment) break;
      if (segment.readRecords === segment.records) {
        if (s.readIdx === s.segments.length - 1) break;
        s.readIdx++;
        continue;
      }
      const record = this.#readRecord(segment, maxLines - lines.length, lines.length === 0);
      if (record === 'full') break;
      if (record === undefined) continue;
      timeMs ??= record.timeMs;
      for (const line of record.lines) lines.push(line);
      const last = refs.at(-1);
      if (last?.segment === segment) {
        last.records++;
        last.lines += record.lines.length;
      } else {
        segment.inUse++;
        refs.push({ segment, records: 1, lines: record.lines.length });
      }
    }
    if (lines.length === 0 || timeMs === undefined) return undefined;
    s.readLines += lines.length;
    return { lines, refs, timeMs };
  }

  /** Time of the next unread record (what a reader gets first), without consuming it. */
  peekUnreadTimeMs(): number | undefined {
    const segments = this.#s.segments;
    for (let i = this.#s.readIdx; i < segments.length; i++) {
      const segment = segments[i];
      if (!segment || segment.readRecords === segment.records) continue;
      try {
        toNextRun(segment);
        return decodeHeader(this.#readAt(segment, headerSize(segment), segment.readOffset))?.timeMs;
      } catch (error) {
        this.#files.fail('Cannot read the spool', error);
        return undefined;
      }
    }
    return undefined;
  }

  #readRecord(
    segment: Segment,
    room: number,
    first: boolean,
  ): { lines: string[]; timeMs: number } | 'full' | undefined {
    toNextRun(segment);
    const headerBytes = this.#readAt(segment, headerSize(segment), segment.readOffset);
    const header = decodeHeader(headerBytes);
    if (!header || header.version !== segment.version || header.seal || header.seq !== segment.readSeq) {
      this.#resync(segment);
      return undefined;
    }
    if (!first && header.lineCount > room) return 'full';
    const start = segment.readOffset + header.headerBytes;
    const lines = decodePayload(header, headerBytes, this.#readAt(segment, header.payloadBytes, start));
    if (!lines) {
      this.#resync(segment);
      return undefined;
    }
    segment.readOffset = start + header.payloadBytes;
    segment.readRecords++;
    if (segment.runLeft > 0) segment.runLeft--;
    segment.readLines += lines.length;
    if (segment.readSeq !== undefined) segment.readSeq += lines.length;
    this.#s.unreadRecords--;
    return { lines, timeMs: header.timeMs };
  }

  /**
   * The record at the read offset no longer verifies: walks the file again, as the start-up scan would (all of
   * it: with sequence numbers what was read already is recognised; a version-1 segment from the read offset),
   * and replaces what the spool believed about the rest. Lines expected and not found are counted, by the
   * counts the segment had (exact, and equal to the sequence gaps in a version-2 segment).
   */
  #resync(segment: Segment): void {
    const s = this.#s;
    const from = segment.version === 2 ? 0 : segment.readOffset;
    const fileSize = this.#c.fs.fileSize(segment.path);
    const buf = this.#readAt(segment, Math.max(0, fileSize - from), from);
    const end = segment.endSeq === undefined ? undefined : { seq: segment.endSeq, upperBound: true };
    const walk = walkRecords(buf, from, segment.version, segment.readSeq, end);
    const unreadRecords = segment.records - segment.readRecords;
    const missing = segment.lines - segment.readLines - walk.lines;
    segment.records = segment.readRecords + walk.records;
    segment.lines = segment.readLines + walk.lines;
    s.unreadRecords -= unreadRecords - walk.records;
    s.pendingLines -= missing;
    segment.runs = walk.runs;
    segment.runIdx = 0;
    segment.runLeft = 0;
    for (const region of attribute(walk.regions, missing, from, fileSize)) {
      if (region.lines === 0 && segment.reported.has(region.offset)) continue;
      segment.reported.add(region.offset);
      this.#files.corrupt(segment.path, region);
    }
    this.#files.deleteIfDone(segment);
  }

  #readAt(segment: Segment, length: number, position: number): Buffer {
    segment.readFd ??= this.#c.fs.openSync(segment.path, 'r');
    return readFully(this.#c.fs, segment.readFd, length, position);
  }
}

function headerSize(segment: Segment): number {
  return segment.version === 2 ? RECORD_HEADER_BYTES : V1_HEADER_BYTES;
}

/**
 * The regions to report after a resync, with the lines the spool's own counts say are missing (exact: the spool
 * knew every record it had to read). They agree with the sequence gaps in a version-2 segment; in a version-1 one
 * they are the only count, given to the first region.
 */
function attribute(
  regions: readonly CorruptRegion[],
  missing: number,
  from: number,
  fileSize: number,
): CorruptRegion[] {
  const out = regions.map((r) => ({ ...r, linesKnown: true }));
  const counted = out.reduce((sum, r) => sum + r.lines, 0);
  if (counted === Math.max(0, missing)) return out;
  const first = out[0] ?? { offset: from, bytes: fileSize - from, lines: 0, linesKnown: true, tail: true };
  if (out.length === 0) out.push(first);
  first.lines = Math.max(0, first.lines + Math.max(0, missing) - counted);
  return out;
}
