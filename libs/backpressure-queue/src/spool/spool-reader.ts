import { RECORD_HEADER_BYTES, decodeHeader, decodePayload } from './record-codec.js';
import type { SegmentFiles } from './segment-files.js';
import type { Segment } from './segment.js';
import { readFully } from './spool-fs.js';
import type { SpoolConfig, SpoolEvents, SpoolRead, SpoolRef, SpoolState } from './spool-types.js';

/**
 * The spool's read-back: whole records in segment order, coalesced into batches, each record checked by its
 * CRC. A record that fails is skipped and its lines counted as dropped `spool_corrupt`.
 */
export class SpoolReader {
  readonly #c: SpoolConfig;
  readonly #events: SpoolEvents;
  readonly #s: SpoolState;
  readonly #files: SegmentFiles;

  constructor(config: SpoolConfig, events: SpoolEvents, state: SpoolState, files: SegmentFiles) {
    this.#c = config;
    this.#events = events;
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
        return decodeHeader(this.#readAt(segment, RECORD_HEADER_BYTES, segment.readOffset))?.timeMs;
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
    const headerBytes = this.#readAt(segment, RECORD_HEADER_BYTES, segment.readOffset);
    const header = decodeHeader(headerBytes);
    if (!header) {
      // The scan vouched for this header; if it no longer parses, the rest of the file is unreadable.
      this.#s.corruptBytes += segment.size - segment.readOffset;
      segment.readOffset = segment.size;
      this.#skip(segment, segment.records - segment.readRecords, segment.lines - segment.readLines);
      return undefined;
    }
    if (!first && header.lineCount > room) return 'full';
    const payload = this.#readAt(segment, header.payloadBytes, segment.readOffset + RECORD_HEADER_BYTES);
    const lines = decodePayload(header, headerBytes, payload);
    segment.readOffset += RECORD_HEADER_BYTES + header.payloadBytes;
    if (!lines) {
      this.#s.corruptBytes += RECORD_HEADER_BYTES + header.payloadBytes;
      this.#skip(segment, 1, header.lineCount);
      return undefined;
    }
    segment.readRecords++;
    segment.readLines += lines.length;
    this.#s.unreadRecords--;
    return { lines, timeMs: header.timeMs };
  }

  /** Counts unreadable records as read, acknowledged and dropped. */
  #skip(segment: Segment, records: number, lines: number): void {
    segment.readRecords += records;
    segment.readLines += lines;
    segment.ackedRecords += records;
    segment.ackedLines += lines;
    this.#s.unreadRecords -= records;
    this.#s.pendingLines -= lines;
    this.#events.drop('spool_corrupt', lines, undefined);
    this.#files.deleteIfDone(segment);
  }

  #readAt(segment: Segment, length: number, position: number): Buffer {
    segment.readFd ??= this.#c.fs.openSync(segment.path, 'r');
    return readFully(this.#c.fs, segment.readFd, length, position);
  }
}
