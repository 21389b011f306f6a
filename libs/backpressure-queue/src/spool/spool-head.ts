import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { readFully, type SpoolFs } from './spool-fs.js';

/**
 * The spool's high-water mark: which segment appends go to, the sequence number after the last line appended,
 * and that segment's size. Rewritten after every append, in two files (`head.0`, `head.1`) of one 32-byte
 * checksummed block each, so that a torn or truncated tail of the newest segment is still counted, and one
 * damaged copy is not enough to lose the count. Layout (big-endian): magic `HQH1`, CRC-32 of bytes 8..32,
 * active segment id (float64), next sequence number (float64), active segment bytes (float64).
 */
export interface SpoolHeadState {
  /** Id of the segment appends go to; `-1` when none is open. */
  readonly activeId: number;
  /** Sequence number the next appended line gets. */
  readonly nextSeq: number;
  readonly activeBytes: number;
}

const HEAD_MAGIC = 0x48514831;
export const HEAD_BYTES = 32;
export const HEAD_FILES = ['head.0', 'head.1'] as const;

/** What the head files say: the copy further ahead, and the copies that exist but cannot be read. */
export interface HeadRead {
  readonly state: SpoolHeadState | undefined;
  /** Paths of copies present on disk whose block does not verify. */
  readonly unreadable: readonly string[];
}

/** Reads both copies; the one further ahead wins (a copy written last can only be ahead). */
export function readHead(fsys: SpoolFs, dir: string): HeadRead {
  let state: SpoolHeadState | undefined;
  const unreadable: string[] = [];
  for (const name of HEAD_FILES) {
    const copy = readCopy(fsys, join(dir, name));
    if (copy === 'damaged') unreadable.push(join(dir, name));
    else if (copy && (state === undefined || copy.nextSeq > state.nextSeq)) state = copy;
  }
  return { state, unreadable };
}

/** `undefined` when the copy is missing, `'damaged'` when it is present but does not verify. */
function readCopy(fsys: SpoolFs, path: string): SpoolHeadState | 'damaged' | undefined {
  let fd: number;
  try {
    fd = fsys.openSync(path, 'r');
  } catch (error) {
    // Missing: a new spool, or one written by a release without head files. Anything else is an I/O failure.
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return decodeHead(readFully(fsys, fd, HEAD_BYTES, 0)) ?? 'damaged';
  } finally {
    fsys.closeSync(fd);
  }
}

export function decodeHead(buf: Buffer): SpoolHeadState | undefined {
  if (buf.length < HEAD_BYTES || buf.readUInt32BE(0) !== HEAD_MAGIC) return undefined;
  if (crc32(buf.subarray(8, HEAD_BYTES)) !== buf.readUInt32BE(4)) return undefined;
  const state = {
    activeId: buf.readDoubleBE(8),
    nextSeq: buf.readDoubleBE(16),
    activeBytes: buf.readDoubleBE(24),
  };
  return Number.isSafeInteger(state.nextSeq) && Number.isSafeInteger(state.activeId) ? state : undefined;
}

/** Keeps both head files open and rewrites them in place: two positional writes of 32 bytes per append. */
export class SpoolHead {
  readonly #fsys: SpoolFs;
  readonly #fds: number[] = [];
  readonly #buf = Buffer.alloc(HEAD_BYTES);

  /** Opens (truncating) both copies and writes `initial` at once, so a crash right after start keeps the mark. */
  constructor(fsys: SpoolFs, dir: string, initial: SpoolHeadState) {
    this.#fsys = fsys;
    try {
      for (const name of HEAD_FILES) this.#fds.push(fsys.openSync(join(dir, name), 'w'));
      this.write(initial);
    } catch (error) {
      this.close();
      throw error;
    }
  }

  write(state: SpoolHeadState): void {
    const buf = this.#buf;
    buf.writeUInt32BE(HEAD_MAGIC, 0);
    buf.writeDoubleBE(state.activeId, 8);
    buf.writeDoubleBE(state.nextSeq, 16);
    buf.writeDoubleBE(state.activeBytes, 24);
    buf.writeUInt32BE(crc32(buf.subarray(8, HEAD_BYTES)), 4);
    for (const fd of this.#fds) this.#fsys.writeAtSync(fd, buf, 0);
  }

  sync(): void {
    for (const fd of this.#fds) this.#fsys.fsyncSync(fd);
  }

  close(): void {
    for (const fd of this.#fds.splice(0)) this.#fsys.closeSync(fd);
  }
}
