import type { TimerHandle } from '../clock.js';
import { encodeRecord } from './record-codec.js';
import type { SegmentFiles } from './segment-files.js';
import { FIRST_SEGMENT_ID, newSegment, type Segment } from './segment.js';
import { writeFully } from './spool-fs.js';
import type { SpoolConfig, SpoolEvents, SpoolState, SpoolWriteResult } from './spool-types.js';

/**
 * The spool's write side: records appended to the active segment (a new one past `segmentMaxBytes`) or
 * prepended in a segment of their own, the disk budget, and the fsync policy.
 */
export class SpoolWriter {
  readonly #c: SpoolConfig;
  readonly #events: SpoolEvents;
  readonly #s: SpoolState;
  readonly #files: SegmentFiles;
  #nextId: number;
  #fsyncTimer: TimerHandle = undefined;

  constructor(config: SpoolConfig, events: SpoolEvents, state: SpoolState, files: SegmentFiles) {
    this.#c = config;
    this.#events = events;
    this.#s = state;
    this.#files = files;
    const last = state.segments.at(-1);
    this.#nextId = last ? last.id + 1 : FIRST_SEGMENT_ID;
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
      this.#files.fail(`Cannot append to the spool in ${this.#c.dir}`, error);
      return 'failed';
    }
    segment.size += record.length;
    segment.records++;
    segment.lines += lines.length;
    segment.firstTimeMs ??= timeMs;
    const s = this.#s;
    s.bytes += record.length;
    s.unreadRecords++;
    s.pendingLines += lines.length;
    s.writtenLines += lines.length;
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
    const s = this.#s;
    const buffers = records.map((r) => encodeRecord(r.lines, r.timeMs));
    const size = buffers.reduce((sum, b) => sum + b.length, 0);
    const lineCount = records.reduce((sum, r) => sum + r.lines.length, 0);
    if (s.bytes + size > this.#c.maxBytes) {
      // These are the oldest lines of all: under either disk policy they are the ones that do not fit.
      this.#events.drop(
        'spool_full',
        lineCount,
        records.flatMap((r) => r.lines),
      );
      return 'dropped';
    }
    const segment = newSegment(this.#c.dir, (s.segments[0]?.id ?? this.#nextId) - 1);
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
      this.#files.fail(`Cannot prepend to the spool in ${this.#c.dir}`, error);
      return 'failed';
    }
    Object.assign(segment, { size, records: records.length, lines: lineCount, sealed: true });
    segment.firstTimeMs = records[0]?.timeMs;
    s.segments.unshift(segment);
    s.readIdx = 0;
    s.bytes += size;
    s.unreadRecords += records.length;
    s.pendingLines += lineCount;
    s.writtenLines += lineCount;
    return 'stored';
  }

  /** Cancels a pending interval fsync: closing the spool syncs every segment itself. */
  close(): void {
    if (this.#fsyncTimer !== undefined) this.#c.clock.clearTimeout(this.#fsyncTimer);
    this.#fsyncTimer = undefined;
  }

  /** Frees disk budget for `bytes` more, evicting whole idle segments from the front under `drop_oldest`. */
  #makeRoom(bytes: number): boolean {
    const s = this.#s;
    while (s.bytes + bytes > this.#c.maxBytes) {
      if (this.#c.overflow === 'drop_new') return false;
      const victim = s.segments.find((segment) => segment.inUse === 0);
      if (!victim) return false;
      s.evictedSegments++;
      this.#events.drop('spool_full', victim.lines - victim.ackedLines, undefined);
      s.pendingLines -= victim.lines - victim.ackedLines;
      s.unreadRecords -= victim.records - victim.readRecords;
      this.#files.delete(victim);
    }
    return true;
  }

  #activeFor(bytes: number): Segment {
    const current = this.#s.active;
    if (current && (current.size === 0 || current.size + bytes <= this.#c.segmentMaxBytes)) return current;
    if (current) {
      this.#files.closeFds(current, this.#c.fsync !== 'never');
      current.sealed = true;
      this.#s.active = undefined;
      this.#files.deleteIfDone(current);
    }
    const segment = newSegment(this.#c.dir, this.#nextId++);
    // O_APPEND: after a failed write is truncated away, the next record still lands at the end.
    segment.writeFd = this.#c.fs.openSync(segment.path, 'ax');
    if (this.#c.fsync === 'always') this.#c.fs.fsyncDir(this.#c.dir);
    this.#s.segments.push(segment);
    this.#s.active = segment;
    return segment;
  }

  #afterWrite(segment: Segment): void {
    if (this.#c.fsync === 'always') {
      this.#sync(segment);
    } else if (this.#c.fsync === 'interval' && this.#fsyncTimer === undefined) {
      this.#fsyncTimer = this.#c.clock.setTimeout(() => {
        this.#fsyncTimer = undefined;
        const active = this.#s.active;
        if (active) this.#sync(active);
      }, this.#c.fsyncIntervalMs);
    }
  }

  #sync(segment: Segment): void {
    if (segment.writeFd === undefined) return;
    try {
      this.#c.fs.fsyncSync(segment.writeFd);
    } catch (error) {
      this.#files.fail(`Cannot fsync ${segment.path}`, error);
    }
  }

  #tryTruncate(segment: Segment): void {
    try {
      this.#c.fs.ftruncateSync(segment.writeFd ?? -1, segment.size);
    } catch (error) {
      // The tail stays torn on disk; the start-up scan truncates it. Still worth reporting.
      this.#files.fail(`Cannot truncate ${segment.path} after a failed write`, error);
    }
  }
}
