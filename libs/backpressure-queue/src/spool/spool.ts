import { QueueError } from '../errors.js';
import { acquireLock } from './lock.js';
import { SegmentFiles } from './segment-files.js';
import { SpoolHead } from './spool-head.js';
import { SpoolReader } from './spool-reader.js';
import { scanSpoolDir, type SpoolScan } from './spool-scan.js';
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
    let found: SpoolScan;
    let head: SpoolHead;
    try {
      found = scanSpoolDir(fsys, config.dir);
      head = openHead(config, found);
    } catch (error) {
      // Unusable directory: give the lock back, so that a retry in this process is not refused as a second queue.
      this.#releaseLock();
      throw error;
    }
    const state: SpoolState = {
      segments: found.segments,
      readIdx: 0,
      active: undefined,
      nextSeq: found.nextSeq,
      unreadRecords: 0,
      pendingLines: 0,
      bytes: 0,
      writtenLines: 0,
      readLines: 0,
      corruptBytes: 0,
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
    for (const { file, region } of found.corruptions) this.#files.corrupt(file, region);
    this.#reader = new SpoolReader(config, state, this.#files);
    this.#writer = new SpoolWriter(config, events, state, this.#files, head);
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

  /** Seals the active segment, flushes and closes files and releases the directory lock. */
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

/**
 * Opens the head files and writes the mark at once: the last head as it was (it still tells where the previous
 * run's active segment ended), or the scan's next sequence number when there was none.
 */
function openHead(config: SpoolConfig, found: SpoolScan): SpoolHead {
  const initial = found.head ?? { activeId: -1, nextSeq: found.nextSeq, activeBytes: 0 };
  try {
    const head = new SpoolHead(config.fs, config.dir, initial);
    try {
      if (config.fsync === 'always') config.fs.fsyncDir(config.dir); // the head files' directory entries
    } catch (error) {
      head.close();
      throw error;
    }
    return head;
  } catch (error) {
    throw new QueueError('ERR_SPOOL_IO', `Cannot write the spool's head files in ${config.dir}`, {
      cause: error,
    });
  }
}
