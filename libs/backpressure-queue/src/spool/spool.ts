import type { TimerHandle } from '../clock.js';
import { QueueError } from '../errors.js';
import { acquireLock } from './lock.js';
import { RECORD_HEADER_BYTES, decodeHeader, decodePayload, encodeRecord } from './record-codec.js';
import { FIRST_SEGMENT_ID, newSegment, scanSpoolDir, type Segment } from './segment.js';
import { readFully, writeFully } from './spool-fs.js';
import type {
  SpoolConfig,
  SpoolEvents,
  SpoolRead,
  SpoolRef,
  SpoolStats,
  SpoolWriteResult,
} from './spool-types.js';

/**
 * The durable spill: append-only segment files in one directory, read back in order, each deleted once every
 * line in it was acknowledged. The segment list is short (the disk budget over the segment size), so the few
 * linear walks over it are bounded; per line, every operation is O(1).
 */
export class Spool {
  readonly #c: SpoolConfig;
  readonly #events: SpoolEvents;
  readonly #releaseLock: () => void;
  readonly #segments: Segment[];
  #readIdx = 0;
  #unreadRecords = 0;
  #pendingLines = 0;
  #bytes = 0;
  #nextId: number;
  #active: Segment | undefined;
  #fsyncTimer: TimerHandle = undefined;
  #writtenLines = 0;
  #readLines = 0;
  #corruptBytes = 0;
  #ioErrors = 0;
  #evicted = 0;

  constructor(config: SpoolConfig, events: SpoolEvents) {
    this.#c = config;
    this.#events = events;
    const fsys = config.fs;
    try {
      fsys.mkdirSync(config.dir);
    } catch (error) {
      throw new QueueError('ERR_SPOOL_IO', `Cannot create the spool directory ${config.dir}`, {
        cause: error,
      });
    }
    this.#releaseLock = acquireLock(fsys, config.dir, config.pid);
    const found = scanSpoolDir(fsys, config.dir);
    this.#segments = found.segments;
    this.#corruptBytes = found.tornBytes;
    for (const segment of found.segments) {
      this.#bytes += segment.size;
      this.#unreadRecords += segment.records;
      this.#pendingLines += segment.lines;
    }
    const last = this.#segments.at(-1);
    this.#nextId = last ? last.id + 1 : FIRST_SEGMENT_ID;
  }

  get hasUnread(): boolean {
    return this.#unreadRecords > 0;
  }

  stats(): SpoolStats {
    return {
      bytes: this.#bytes,
      segments: this.#segments.length,
      pendingLines: this.#pendingLines,
      unreadRecords: this.#unreadRecords,
      writtenLines: this.#writtenLines,
      readLines: this.#readLines,
      corruptBytes: this.#corruptBytes,
      ioErrors: this.#ioErrors,
      evictedSegments: this.#evicted,
    };
  }

  /** Appends one record after everything already spooled. */
  append(lines: readonly string[], timeMs: number): SpoolWriteResult {
    const record = encodeRecord(lines, timeMs);
    if (!this.#makeRoom(record.length)) {
      this.#events.drop('spool_full', lines.length, lines);
      return 'dropped';
    }
    let segment: Segment | undefined;
    try {
      segment = this.#activeFor(record.length);
      writeFully(this.#c.fs, segment.writeFd ?? -1, record);
    } catch (error) {
      // Cut a partial record off so the segment holds whole records only, then let the owner keep the lines.
      if (segment?.writeFd !== undefined) this.#tryTruncate(segment);
      this.#fail(`Cannot append to the spool in ${this.#c.dir}`, error);
      return 'failed';
    }
    segment.size += record.length;
    segment.records++;
    segment.lines += lines.length;
    segment.firstTimeMs ??= timeMs;
    this.#bytes += record.length;
    this.#unreadRecords++;
    this.#pendingLines += lines.length;
    this.#writtenLines += lines.length;
    this.#afterWrite(segment);
    return 'stored';
  }

  /**
   * Writes records in a new segment placed before every other one: batches a consumer handed back are older
   * than anything spooled after they were lent out. Written to a temporary name and renamed, so a crash leaves
   * either the whole segment or none of it.
   */
  prepend(
    records: readonly { readonly lines: readonly string[]; readonly timeMs: number }[],
  ): SpoolWriteResult {
    const buffers = records.map((r) => encodeRecord(r.lines, r.timeMs));
    const size = buffers.reduce((sum, b) => sum + b.length, 0);
    const lineCount = records.reduce((sum, r) => sum + r.lines.length, 0);
    if (this.#bytes + size > this.#c.maxBytes) {
      // These are the oldest lines of all: under either disk policy they are the ones that do not fit.
      this.#events.drop(
        'spool_full',
        lineCount,
        records.flatMap((r) => r.lines),
      );
      return 'dropped';
    }
    const segment = newSegment(this.#c.dir, (this.#segments[0]?.id ?? this.#nextId) - 1);
    const tmp = `${segment.path}.tmp`;
    const fsys = this.#c.fs;
    try {
      const fd = fsys.openSync(tmp, 'w');
      try {
        for (const b of buffers) writeFully(fsys, fd, b);
        if (this.#c.fsync !== 'never') fsys.fsyncSync(fd);
      } finally {
        fsys.closeSync(fd);
      }
      fsys.renameSync(tmp, segment.path);
      if (this.#c.fsync === 'always') fsys.fsyncDir(this.#c.dir);
    } catch (error) {
      this.#fail(`Cannot prepend to the spool in ${this.#c.dir}`, error);
      return 'failed';
    }
    Object.assign(segment, { size, records: records.length, lines: lineCount, sealed: true });
    segment.firstTimeMs = records[0]?.timeMs;
    this.#segments.unshift(segment);
    this.#readIdx = 0;
    this.#bytes += size;
    this.#unreadRecords += records.length;
    this.#pendingLines += lineCount;
    this.#writtenLines += lineCount;
    return 'stored';
  }

  /** Reads whole records in order, up to `maxLines` lines (at least one record); `undefined` when none is unread. */
  read(maxLines: number): SpoolRead | undefined {
    const lines: string[] = [];
    const refs: SpoolRef[] = [];
    let timeMs: number | undefined;
    while (this.#unreadRecords > 0) {
      const segment = this.#segments[this.#readIdx];
      if (!segment) break;
      if (segment.readRecords === segment.records) {
        if (this.#readIdx === this.#segments.length - 1) break;
        this.#readIdx++;
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
    this.#readLines += lines.length;
    return { lines, refs, timeMs };
  }

  /** Time of the next unread record (what a reader gets first), without consuming it. */
  peekUnreadTimeMs(): number | undefined {
    for (let i = this.#readIdx; i < this.#segments.length; i++) {
      const segment = this.#segments[i];
      if (!segment || segment.readRecords === segment.records) continue;
      try {
        return decodeHeader(this.#readAt(segment, RECORD_HEADER_BYTES, segment.readOffset))?.timeMs;
      } catch (error) {
        this.#fail('Cannot read the spool', error);
        return undefined;
      }
    }
    return undefined;
  }

  /**
   * Settles the lines of a batch read earlier: `acked` when the consumer wrote them. A segment goes away once
   * all its lines are acknowledged and no batch still holds any.
   */
  release(refs: readonly SpoolRef[], acked: boolean): void {
    for (const ref of refs) {
      const segment = ref.segment;
      segment.inUse--;
      if (acked) {
        segment.ackedRecords += ref.records;
        segment.ackedLines += ref.lines;
        this.#pendingLines -= ref.lines;
      }
      this.#deleteIfDone(segment);
    }
  }

  /** Flushes and closes files and releases the directory lock. */
  close(): void {
    this.#clearFsyncTimer();
    for (const segment of this.#segments) this.#closeFds(segment, this.#c.fsync !== 'never');
    this.#active = undefined;
    try {
      this.#releaseLock();
    } catch (error) {
      this.#fail('Cannot remove the spool lock', error);
    }
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
      this.#corruptBytes += segment.size - segment.readOffset;
      segment.readOffset = segment.size;
      this.#skip(segment, segment.records - segment.readRecords, segment.lines - segment.readLines);
      return undefined;
    }
    if (!first && header.lineCount > room) return 'full';
    const payload = this.#readAt(segment, header.payloadBytes, segment.readOffset + RECORD_HEADER_BYTES);
    const lines = decodePayload(header, headerBytes, payload);
    segment.readOffset += RECORD_HEADER_BYTES + header.payloadBytes;
    if (!lines) {
      this.#corruptBytes += RECORD_HEADER_BYTES + header.payloadBytes;
      this.#skip(segment, 1, header.lineCount);
      return undefined;
    }
    segment.readRecords++;
    segment.readLines += lines.length;
    this.#unreadRecords--;
    return { lines, timeMs: header.timeMs };
  }

  /** Counts unreadable records as read, acknowledged and dropped. */
  #skip(segment: Segment, records: number, lines: number): void {
    segment.readRecords += records;
    segment.readLines += lines;
    segment.ackedRecords += records;
    segment.ackedLines += lines;
    this.#unreadRecords -= records;
    this.#pendingLines -= lines;
    this.#events.drop('spool_corrupt', lines, undefined);
    this.#deleteIfDone(segment);
  }

  #readAt(segment: Segment, length: number, position: number): Buffer {
    segment.readFd ??= this.#c.fs.openSync(segment.path, 'r');
    return readFully(this.#c.fs, segment.readFd, length, position);
  }

  /** Frees disk budget for `bytes` more, evicting whole idle segments from the front under `drop_oldest`. */
  #makeRoom(bytes: number): boolean {
    while (this.#bytes + bytes > this.#c.maxBytes) {
      if (this.#c.overflow === 'drop_new') return false;
      const victim = this.#segments.find((s) => s.inUse === 0);
      if (!victim) return false;
      this.#evicted++;
      this.#events.drop('spool_full', victim.lines - victim.ackedLines, undefined);
      this.#pendingLines -= victim.lines - victim.ackedLines;
      this.#unreadRecords -= victim.records - victim.readRecords;
      this.#delete(victim);
    }
    return true;
  }

  #activeFor(bytes: number): Segment {
    const current = this.#active;
    if (current && (current.size === 0 || current.size + bytes <= this.#c.segmentMaxBytes)) return current;
    if (current) {
      this.#closeFds(current, this.#c.fsync !== 'never');
      current.sealed = true;
      this.#active = undefined;
      this.#deleteIfDone(current);
    }
    const segment = newSegment(this.#c.dir, this.#nextId++);
    // O_APPEND: after a failed write is truncated away, the next record still lands at the end.
    segment.writeFd = this.#c.fs.openSync(segment.path, 'ax');
    if (this.#c.fsync === 'always') this.#c.fs.fsyncDir(this.#c.dir);
    this.#segments.push(segment);
    this.#active = segment;
    return segment;
  }

  #afterWrite(segment: Segment): void {
    if (this.#c.fsync === 'always') {
      this.#sync(segment);
    } else if (this.#c.fsync === 'interval' && this.#fsyncTimer === undefined) {
      this.#fsyncTimer = this.#c.clock.setTimeout(() => {
        this.#fsyncTimer = undefined;
        const active = this.#active;
        if (active) this.#sync(active);
      }, this.#c.fsyncIntervalMs);
    }
  }

  #sync(segment: Segment): void {
    if (segment.writeFd === undefined) return;
    try {
      this.#c.fs.fsyncSync(segment.writeFd);
    } catch (error) {
      this.#fail(`Cannot fsync ${segment.path}`, error);
    }
  }

  #deleteIfDone(segment: Segment): void {
    if (segment.inUse === 0 && segment.ackedRecords === segment.records && segment.records > 0) {
      this.#delete(segment);
    }
  }

  #delete(segment: Segment): void {
    const index = this.#segments.indexOf(segment);
    if (index === -1) return;
    this.#closeFds(segment, false);
    if (this.#active === segment) this.#active = undefined;
    this.#segments.splice(index, 1);
    if (index < this.#readIdx) this.#readIdx--;
    this.#readIdx = Math.min(this.#readIdx, Math.max(0, this.#segments.length - 1));
    this.#bytes -= segment.size;
    try {
      this.#c.fs.unlinkSync(segment.path);
    } catch (error) {
      this.#fail(`Cannot delete ${segment.path}`, error);
    }
  }

  #closeFds(segment: Segment, sync: boolean): void {
    const fsys = this.#c.fs;
    try {
      if (segment.writeFd !== undefined) {
        if (sync) fsys.fsyncSync(segment.writeFd);
        fsys.closeSync(segment.writeFd);
      }
      if (segment.readFd !== undefined) fsys.closeSync(segment.readFd);
    } catch (error) {
      this.#fail(`Cannot close ${segment.path}`, error);
    } finally {
      segment.writeFd = undefined;
      segment.readFd = undefined;
    }
  }

  #tryTruncate(segment: Segment): void {
    try {
      this.#c.fs.ftruncateSync(segment.writeFd ?? -1, segment.size);
    } catch (error) {
      // The tail stays torn on disk; the start-up scan truncates it. Still worth reporting.
      this.#fail(`Cannot truncate ${segment.path} after a failed write`, error);
    }
  }

  #clearFsyncTimer(): void {
    if (this.#fsyncTimer !== undefined) this.#c.clock.clearTimeout(this.#fsyncTimer);
    this.#fsyncTimer = undefined;
  }

  #fail(message: string, cause: unknown): void {
    this.#ioErrors++;
    this.#events.error(new QueueError('ERR_SPOOL_IO', message, { cause }));
  }
}
