import { join } from 'node:path';
import { QueueError } from '../errors.js';
import { walkRecords, type CorruptRegion, type EndHint, type WalkResult } from './record-walk.js';
import { FIRST_SEGMENT_ID, newSegment, parseSegmentName, type Segment } from './segment.js';
import { readFully, type SpoolFs } from './spool-fs.js';
import { HEAD_BYTES, readHead, type SpoolHeadState } from './spool-head.js';

/** A corrupt region found in one segment file. */
export interface FoundCorruption {
  readonly file: string;
  readonly region: CorruptRegion;
}

/** What the start-up scan found in the spool directory. */
export interface SpoolScan {
  /** Segments with at least one record to deliver, in read order. */
  readonly segments: Segment[];
  readonly corruptions: FoundCorruption[];
  /** Sequence number for the next appended line: past everything on disk and the last head. */
  readonly nextSeq: number;
  readonly head: SpoolHeadState | undefined;
}

/**
 * Reads every segment an earlier run left in `dir`, verifying every record (header and payload CRC), so that
 * a corrupt region is found, counted and stepped over before anything is replayed. Nothing is truncated: the
 * bytes of a corrupt region stay until their segment is deleted. A segment with no record left is deleted,
 * and so are `.tmp` leftovers (a prepend a crash interrupted: its lines were only in memory then).
 *
 * Where a segment's sequence range ends, for counting a lost tail: its seal record; else the head file, if
 * it names the segment; else the next segment's id (its first line); else, for the last segment, the head's
 * next sequence number. Without any of them the lines of a torn tail cannot be counted, and the region says so.
 */
export function scanSpoolDir(fsys: SpoolFs, dir: string): SpoolScan {
  try {
    const names = fsys.readdirSync(dir).sort();
    for (const name of names) if (name.endsWith('.tmp')) fsys.unlinkSync(join(dir, name));
    const files = names.flatMap((name) => {
      const parsed = parseSegmentName(name);
      return parsed ? [parsed] : [];
    });
    const { state: head, unreadable } = readHead(fsys, dir);
    const segments: Segment[] = [];
    const corruptions: FoundCorruption[] = [];
    // With every copy of the high-water mark destroyed, a lost tail of the newest segment cannot be counted:
    // say so once, rather than let a tail that vanished with it (a file truncated to nothing) go unreported.
    if (head === undefined && unreadable[0] !== undefined)
      corruptions.push({
        file: unreadable[0],
        region: {
          offset: 0,
          bytes: unreadable.length * HEAD_BYTES,
          lines: 0,
          linesKnown: false,
          tail: false,
        },
      });
    let nextSeq = Math.max(FIRST_SEGMENT_ID, head?.nextSeq ?? 0);
    files.forEach(({ id, version }, i) => {
      const next = files[i + 1];
      const hint: EndHint | undefined =
        head?.activeId === id
          ? { seq: head.nextSeq, upperBound: false }
          : next
            ? { seq: next.id, upperBound: true }
            : head && { seq: head.nextSeq, upperBound: false };
      const segment = newSegment(dir, id, version);
      const walk = scanSegment(fsys, segment, hint);
      for (const region of walk.regions) {
        corruptions.push({ file: segment.path, region });
        segment.reported.add(region.offset);
      }
      nextSeq = Math.max(nextSeq, version === 2 ? (segment.endSeq ?? id) : id + 1);
      if (segment.records === 0) fsys.unlinkSync(segment.path);
      else segments.push(segment);
    });
    return { segments, corruptions, nextSeq, head };
  } catch (error) {
    throw new QueueError('ERR_SPOOL_IO', `Cannot read the spool directory ${dir}`, { cause: error });
  }
}

function scanSegment(fsys: SpoolFs, segment: Segment, hint: EndHint | undefined): WalkResult {
  const fd = fsys.openSync(segment.path, 'r');
  let buf: Buffer;
  try {
    buf = readFully(fsys, fd, fsys.fileSize(segment.path), 0);
  } finally {
    fsys.closeSync(fd);
  }
  const walk = walkRecords(buf, 0, segment.version, segment.readSeq, hint);
  segment.sealed = true;
  segment.size = buf.length;
  segment.records = walk.records;
  segment.lines = walk.lines;
  segment.firstTimeMs = walk.firstTimeMs;
  segment.endSeq = walk.endSeq;
  segment.runs = walk.runs;
  return walk;
}
