import type { Clock } from '@homeiq/runtime';
import type { QueueError } from '../errors.js';
import type { FsyncPolicy, SpoolOverflowStrategy } from '../options.js';
import type { Segment } from './segment.js';
import type { SpoolFs } from './spool-fs.js';

/** The spool's resolved settings (defaults applied by the queue's options). */
export interface SpoolConfig {
  readonly dir: string;
  readonly fsync: FsyncPolicy;
  readonly fsyncIntervalMs: number;
  readonly maxBytes: number;
  readonly overflow: SpoolOverflowStrategy;
  readonly segmentMaxBytes: number;
  readonly fs: SpoolFs;
  readonly clock: Clock;
  readonly pid: number;
}

/**
 * One corrupt region of a segment file, reported once when it is found (at start-up, or when a record fails its
 * check on read-back). Its lines are also counted as dropped `spool_corrupt`.
 */
export interface SpoolCorruptEvent {
  /** The segment file. */
  readonly file: string;
  /** Byte offset where the region starts. */
  readonly offset: number;
  /** Bytes in it that hold no record to deliver (0 for a truncated tail: those bytes are gone). */
  readonly bytes: number;
  /** Lines lost in it, counted as dropped `spool_corrupt`. */
  readonly lines: number;
  /**
   * False when the lines could not all be counted: a segment from an earlier release (no sequence numbers), or
   * a torn tail whose seal and head files were destroyed too. `lines` is then what could be counted.
   */
  readonly linesKnown: boolean;
  /** The region runs to the end of the file (a torn or truncated tail). */
  readonly tail: boolean;
}

/** How the spool tells its owner about lines it had to give up, corrupt regions, and I/O it could not do. */
export interface SpoolEvents {
  drop(reason: 'spool_full' | 'spool_corrupt', count: number, lines: readonly string[] | undefined): void;
  corrupt(event: SpoolCorruptEvent): void;
  error(error: QueueError): void;
}

/** Lines of one segment inside a batch that was read back. */
export interface SpoolRef {
  readonly segment: Segment;
  records: number;
  lines: number;
}

/** A run of records read back as one batch. */
export interface SpoolRead {
  readonly lines: string[];
  readonly refs: SpoolRef[];
  readonly timeMs: number;
}

/** Where a batch handed to the spool ended up. */
export type SpoolWriteResult = 'stored' | 'dropped' | 'failed';

/** Counters and gauges of the spool. */
export interface SpoolStats {
  readonly bytes: number;
  readonly segments: number;
  readonly pendingLines: number;
  readonly unreadRecords: number;
  readonly writtenLines: number;
  readonly readLines: number;
  readonly corruptBytes: number;
  readonly ioErrors: number;
  readonly evictedSegments: number;
}

/**
 * What the spool's writer and reader share: the segments in order and the counts kept over them. A plain
 * record, like `Segment`: the parts of one spool update it in place and `Spool.stats()` copies it out.
 */
export interface SpoolState {
  /** Oldest first: appends go to the back, prepends to the front. */
  readonly segments: Segment[];
  /** Index in `segments` of the segment the reader is in. */
  readIdx: number;
  /** The segment appends go to until it is full; `undefined` until the next append opens one. */
  active: Segment | undefined;
  /** Sequence number the next appended line gets (a new segment's id is the sequence of its first line). */
  nextSeq: number;
  unreadRecords: number;
  pendingLines: number;
  bytes: number;
  writtenLines: number;
  readLines: number;
  corruptBytes: number;
  ioErrors: number;
  evictedSegments: number;
}
