import { QueueError } from '../errors.js';
import { acquireLock } from './lock.js';
import { SegmentFiles } from './segment-files.js';
import { scanSpoolDir } from './segment.js';
import { SpoolReader } from './spool-reader.js';
import { SpoolWriter } from './spool-writer.js';
import type {
  SpoolConfig,
  SpoolEvents,
  SpoolRead,
  SpoolRef,
  SpoolState,
  SpoolStats,
  SpoolWriteResult,
} from './spool-types.js';

/**
 * The durable spill: append-only segment files in one directory, read back in order, each deleted once every
 * line in it was acknowledged. The segment list is short (the disk budget over the segment size), so the few
 * linear walks over it are bounded; per line, every operation is O(1).
 *
 * This class opens the directory and settles acknowledgements; writing ({@link SpoolWriter}) and reading back
 * ({@link SpoolReader}) work on the state they share with it ({@link SpoolState}).
 */
export class Spool {
  readonly #c: SpoolConfig;
  readonly #s: SpoolState;
  readonly #releaseLock: () => void;
  readonly #files: SegmentFiles;
  readonly #reader: SpoolReader;
  readonly #writer: SpoolWriter;

  constructor(config: SpoolConfig, events: SpoolEvents) {
    this.#c = config;
    const fsys = config.fs;
    try {
      fsys.mkdirSync(config.dir);
    } catch (error) {
      throw new QueueError('ERR_SPOOL_IO', `Cannot create the spool directory ${config.dir}`, {
        cause: error,
      });
    }
    this.#releaseLock = acquireLock(fsys, config.dir, config.pid);
    let found: ReturnType<typeof scanSpoolDir>;
    try {
      found = scanSpoolDir(fsys, config.dir);
    } catch (error) {
      // Unusable directory: give the lock back, so that a retry in this process is not refused as a second queue.
      this.#releaseLock();
      throw error;
    }
    const state: SpoolState = {
      segments: found.segments,
      readIdx: 0,
      active: undefined,
      unreadRecords: 0,
      pendingLines: 0,
      bytes: 0,
      writtenLines: 0,
      readLines: 0,
      corruptBytes: found.tornBytes,
      ioErrors: 0,
      evictedSegments: 0,
    };
    for (const segment of found.segments) {
      state.bytes += segment.size;
      state.unreadRecords += segment.records;
      state.pendingLines += segment.lines;
    }
    this.#s = state;
    this.#files = new SegmentFiles(config, events, state);
    this.#reader = new SpoolReader(config, events, state, this.#files);
    this.#writer = new SpoolWriter(config, events, state, this.#files);
  }

  get hasUnread(): boolean {
    return this.#s.unreadRecords > 0;
  }

  stats(): SpoolStats {
    const s = this.#s;
    return {
      bytes: s.bytes,
      segments: s.segments.length,
      pendingLines: s.pendingLines,
      unreadRecords: s.unreadRecords,
      writtenLines: s.writtenLines,
      readLines: s.readLines,
      corruptBytes: s.corruptBytes,
      ioErrors: s.ioErrors,
      evictedSegments: s.evictedSegments,
    };
  }

  /** Appends one record after everything already spooled. */
  append(lines: readonly string[], timeMs: number): SpoolWriteResult {
    return this.#writer.append(lines, timeMs);
  }

  /** Writes records in a new segment placed before every other one (batches handed back are the oldest). */
  prepend(
    records: readonly { readonly lines: readonly string[]; readonly timeMs: number }[],
  ): SpoolWriteResult {
    return this.#writer.prepend(records);
  }

  /** Reads whole records in order, up to `maxLines` lines (at least one record); `undefined` when none is unread. */
  read(maxLines: number): SpoolRead | undefined {
    return this.#reader.read(maxLines);
  }

  /** Time of the next unread record (what a reader gets first), without consuming it. */
  peekUnreadTimeMs(): number | undefined {
    return this.#reader.peekUnreadTimeMs();
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
        this.#s.pendingLines -= ref.lines;
      }
      this.#files.deleteIfDone(segment);
    }
  }

  /** Flushes and closes files and releases the directory lock. */
  close(): void {
    this.#writer.close();
    for (const segment of this.#s.segments) this.#files.closeFds(segment, this.#c.fsync !== 'never');
    this.#s.active = undefined;
    try {
      this.#releaseLock();
    } catch (error) {
      this.#files.fail('Cannot remove the spool lock', error);
    }
  }
}
