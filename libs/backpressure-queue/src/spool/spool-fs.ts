import * as fs from 'node:fs';
import { makeDirectories } from '@homeiq/runtime';

/**
 * The synchronous file-system calls the spool makes. Synchronous on purpose: each call is one `write(2)` of one
 * whole record (or one read), ordering needs no locks, and a record handed to `writeSync` has reached the kernel
 * when `push()` returns, which is what makes a SIGKILL lose nothing that was spilled. Tests wrap this to
 * inject `ENOSPC` and `EIO`.
 */
export interface SpoolFs {
  mkdirSync(path: string): void;
  readdirSync(path: string): string[];
  openSync(path: string, flags: 'r' | 'r+' | 'w' | 'wx' | 'ax'): number;
  closeSync(fd: number): void;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  /** Writes all of `buffer` at `position` (a small block rewritten in place: the spool's head files). */
  writeAtSync(fd: number, buffer: Uint8Array, position: number): void;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  fileSize(path: string): number;
  unlinkSync(path: string): void;
  renameSync(from: string, to: string): void;
  readFileSync(path: string): string;
  /** Makes a directory entry change (create, rename, unlink) durable: fsync of the directory itself. */
  fsyncDir(path: string): void;
}

/** The production file system. */
export const nodeSpoolFs: SpoolFs = {
  mkdirSync: (path) => {
    makeDirectories(path);
  },
  readdirSync: (path) => fs.readdirSync(path),
  openSync: (path, flags) => fs.openSync(path, flags),
  closeSync: (fd) => {
    fs.closeSync(fd);
  },
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  writeAtSync: (fd, buffer, position) => {
    let done = 0;
    while (done < buffer.length)
      done += fs.writeSync(fd, buffer, done, buffer.length - done, position + done);
  },
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  fsyncSync: (fd) => {
    fs.fsyncSync(fd);
  },
  ftruncateSync: (fd, length) => {
    fs.ftruncateSync(fd, length);
  },
  fileSize: (path) => fs.statSync(path).size,
  unlinkSync: (path) => {
    fs.unlinkSync(path);
  },
  renameSync: (from, to) => {
    fs.renameSync(from, to);
  },
  readFileSync: (path) => fs.readFileSync(path, 'utf8'),
  fsyncDir: (path) => {
    const fd = fs.openSync(path, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
};

/** Writes all of `buffer`, looping over short writes. */
export function writeFully(fsys: SpoolFs, fd: number, buffer: Uint8Array): void {
  let offset = 0;
  while (offset < buffer.length) offset += fsys.writeSync(fd, buffer, offset, buffer.length - offset);
}

/** Reads exactly `length` bytes at `position`; returns fewer only at end of file. */
export function readFully(fsys: SpoolFs, fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let offset = 0;
  while (offset < length) {
    const n = fsys.readSync(fd, buf, offset, length - offset, position + offset);
    if (n === 0) break;
    offset += n;
  }
  return offset === length ? buf : buf.subarray(0, offset);
}
