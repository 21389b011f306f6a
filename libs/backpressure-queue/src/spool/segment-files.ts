import { QueueError } from '../errors.js';
import type { CorruptRegion } from './record-walk.js';
import type { Segment } from './segment.js';
import type { SpoolConfig, SpoolEvents, SpoolState } from './spool-types.js';

/**
 * The end of a segment's life, kept in step with the spool's state: closing its files and deleting it once
 * every line in it was acknowledged. Shared by the writer (sealing, eviction), the reader (corrupt records)
 * and the spool (acknowledgements, close), which is also why I/O failures and corrupt regions are reported here.
 */
export class SegmentFiles {
  readonly #c: SpoolConfig;
  readonly #events: SpoolEvents;
  readonly #s: SpoolState;

  constructor(config: SpoolConfig, events: SpoolEvents, state: SpoolState) {
    this.#c = config;
    this.#events = events;
    this.#s = state;
  }

  deleteIfDone(segment: Segment): void {
    if (segment.inUse === 0 && segment.ackedRecords === segment.records && segment.records > 0) {
      this.delete(segment);
    }
  }

  delete(segment: Segment): void {
    const s = this.#s;
    const index = s.segments.indexOf(segment);
    if (index === -1) return;
    this.closeFds(segment, false);
    if (s.active === segment) s.active = undefined;
    s.segments.splice(index, 1);
    if (index < s.readIdx) s.readIdx--;
    s.readIdx = Math.min(s.readIdx, Math.max(0, s.segments.length - 1));
    s.bytes -= segment.size;
    try {
      this.#c.fs.unlinkSync(segment.path);
    } catch (error) {
      this.fail(`Cannot delete ${segment.path}`, error);
    }
  }

  closeFds(segment: Segment, sync: boolean): void {
    const fsys = this.#c.fs;
    try {
      if (segment.writeFd !== undefined) {
        if (sync) fsys.fsyncSync(segment.writeFd);
        fsys.closeSync(segment.writeFd);
      }
      if (segment.readFd !== undefined) fsys.closeSync(segment.readFd);
    } catch (error) {
      this.fail(`Cannot close ${segment.path}`, error);
    } finally {
      segment.writeFd = undefined;
      segment.readFd = undefined;
    }
  }

  /** Counts a corrupt region's bytes and reports it; its lines are counted as dropped `spool_corrupt`. */
  corrupt(file: string, region: CorruptRegion): void {
    this.#s.corruptBytes += region.bytes;
    const { offset, bytes, lines, linesKnown, tail } = region;
    this.#events.corrupt({ file, offset, bytes, lines, linesKnown, tail });
    if (lines > 0) this.#events.drop('spool_corrupt', lines, undefined);
  }

  /** Counts a failed I/O call and reports it; the caller decides what happens to the lines. */
  fail(message: string, cause: unknown): void {
    this.#s.ioErrors++;
    this.#events.error(new QueueError('ERR_SPOOL_IO', message, { cause }));
  }
}
