import type { TimerHandle } from '@homeiq/runtime';
import { RECORD_HEADER_BYTES, encodeRecord, encodeSeal } from './record-codec.js';
import type { SegmentFiles } from './segment-files.js';
import { newSegment, type Segment } from './segment.js';
import { writeFully } from './spool-fs.js';
import type { SpoolHead } from './spool-head.js';
import type { SpoolConfig, SpoolEvents, SpoolState, SpoolWriteResult } from './spool-types.js';

/**
 * The spool's write side: records appended to the active segment (a new one past `segmentMaxBytes`) or
 * prepended in a segment of their own, the disk budget, and the fsync policy. Every line gets a sequence
 * number: appends count up from the spool's high-water mark (kept in the head files after each append),
 * prepends count down from the first segment's id, so sequence order is read order. A full segment ends with a
 * seal record holding the sequence after its last line.
 */
export class SpoolWriter {
  readonly #c: SpoolConfig;
  readonly #events: SpoolEvents;
  readonly #s: SpoolState;
  readonly #files: SegmentFiles;
  readonly #head: SpoolHead;
  #fsyncTimer: TimerHandle | undefined = undefined;

  constructor(
    config: SpoolConfig,
    events: SpoolEvents,
    state: SpoolState,
    files: SegmentFiles,
    head: SpoolHead,
  ) {
    this.#c = config;
    this.#events = events;
    this.#s = state;
    this.#files = files;
    this.#head = head;
  }

  /** Appends one record after everything already spooled. */
  append(lines: readonly string[], timeMs: number): SpoolWriteResult {
    const s = this.#s;
    const record = encodeRecord(lines, timeMs, s.nextSeq);
    // Room for the seal as well, written when this segment fills up.
    if (!this.#makeRoom(record.length + RECORD_HEADER_BYTES)) {
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
    s.nextSeq += lines.length;
    segment.endSeq = s.nextSeq;
    s.bytes += record.length;
    s.unreadRecords++;
    s.pendingLines += lines.length;
    s.writtenLines += lines.length;
    this.#writeHead(segment);
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
    const lineCount = records.reduce((sum, r) => sum + r.lines.length, 0);
    const firstSeq = (s.segments[0]?.id ?? s.nextSeq) - lineCount;
    let seq = firstSeq;
    const buffers = records.map((r) => {
      const buf = encodeRecord(r.lines, r.timeMs, seq);
      seq += r.lines.length;
      return buf;
    });
    buffers.push(encodeSeal(seq, this.#c.clock.now()));
    const size = buffers.reduce((sum, b) => sum + b.length, 0);
    if (s.bytes + size > this.#c.maxBytes) {
      // These are the oldest lines of all: under either disk policy they are the ones that do not fit.
      this.#events.drop(
        'spool_full',
        lineCount,
        records.flatMap((r) => r.lines),
      );
      return 'dropped';
    }
    const segment = newSegment(this.#c.dir, firstSeq);
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
    segment.endSeq = seq;
    s.segments.unshift(segment);
    s.readIdx = 0;
    s.bytes += size;
    s.unreadRecords += records.length;
    s.pendingLines += lineCount;
    s.writtenLines += lineCount;
    return 'stored';
  }

  /**
   * Seals the active segment and closes the head files; cancels a pending interval fsync (closing the spool
   * syncs every segment itself).
   */
  close(): void {
    if (this.#fsyncTimer !== undefined) this.#c.clock.clearTimeout(this.#fsyncTimer);
    this.#fsyncTimer = undefined;
    const active = this.#s.active;
    if (active && active.records > 0) this.#seal(active);
    try {
      if (this.#c.fsync !== 'never') this.#head.sync();
      this.#head.close();
    } catch (error) {
      this.#files.fail(`Cannot close the head files in ${this.#c.dir}`, error);
    }
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
      this.#seal(current);
      this.#files.closeFds(current, this.#c.fsync !== 'never');
      current.sealed = true;
      this.#s.active = undefined;
      this.#files.deleteIfDone(current);
    }
    const segment = newSegment(this.#c.dir, this.#s.nextSeq);
    // O_APPEND: after a failed write is truncated away, the next record still lands at the end.
    segment.writeFd = this.#c.fs.openSync(segment.path, 'ax');
    if (this.#c.fsync === 'always') this.#c.fs.fsyncDir(this.#c.dir);
    this.#s.segments.push(segment);
    this.#s.active = segment;
    return segment;
  }

  /** Ends a segment with its seal. Redundancy only (the next segment's id says the same): a failure is reported. */
  #seal(segment: Segment): void {
    if (segment.writeFd === undefined) return;
    const seal = encodeSeal(segment.endSeq ?? this.#s.nextSeq, this.#c.clock.now());
    try {
      writeFully(this.#c.fs, segment.writeFd, seal);
    } catch (error) {
      this.#tryTruncate(segment);
      this.#files.fail(`Cannot seal ${segment.path}`, error);
      return;
    }
    segment.size += seal.length;
    this.#s.bytes += seal.length;
  }

  #writeHead(segment: Segment): void {
    try {
      this.#head.write({ activeId: segment.id, nextSeq: this.#s.nextSeq, activeBytes: segment.size });
    } catch (error) {
      this.#files.fail(`Cannot write the head files in ${this.#c.dir}`, error);
    }
  }

  #afterWrite(segment: Segment): void {
    if (this.#c.fsync === 'always') {
      this.#sync(segment);
    } else if (this.#c.fsync === 'interval' && this.#fsyncTimer === undefined) {
      // A background timer: nobody awaits it, and it need not hold a process open. Every record already went to
      // write(2), so an exit without close() leaves it to the kernel's write-back (only an OS crash could lose it),
      // and close() fsyncs every segment itself.
      this.#fsyncTimer = this.#c.clock.setTimeout(
        () => {
          this.#fsyncTimer = undefined;
          const active = this.#s.active;
          if (active) this.#sync(active);
          this.#syncHead();
        },
        this.#c.fsyncIntervalMs,
        { keepAlive: false },
      );
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

  /** Under `interval` the head is synced with the data; under `always` a record is durable before its head. */
  #syncHead(): void {
    try {
      this.#head.sync();
    } catch (error) {
      this.#files.fail(`Cannot fsync the head files in ${this.#c.dir}`, error);
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
