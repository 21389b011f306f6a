import { join, resolve } from 'node:path';
import { QueueError } from '../errors.js';
import type { SpoolFs } from './spool-fs.js';

const LOCK_FILE = 'LOCK';
/** Directories locked by this process: the pid check cannot tell two queues of one process apart. */
const heldHere = new Set<string>();

/**
 * Takes the spool directory's lock: a `LOCK` file holding the owner's pid. Two writers appending to one segment
 * would interleave records, so a second live process is refused. A lock left by a killed process (its pid is
 * gone, or is our own pid, as for PID 1 in a restarted container) is taken over.
 */
export function acquireLock(fsys: SpoolFs, dir: string, pid: number): () => void {
  const key = resolve(dir);
  if (heldHere.has(key)) {
    throw new QueueError(
      'ERR_SPOOL_LOCKED',
      `The spool directory ${dir} is in use by another queue of this process`,
    );
  }
  const path = join(dir, LOCK_FILE);
  try {
    writeLock(fsys, path, pid, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new QueueError('ERR_SPOOL_IO', `Cannot create the spool lock ${path}`, { cause: error });
    }
    const owner = Number.parseInt(fsys.readFileSync(path).trim(), 10);
    if (Number.isInteger(owner) && owner !== pid && isAlive(owner)) {
      throw new QueueError(
        'ERR_SPOOL_LOCKED',
        `The spool directory ${dir} is in use by process ${owner}; one queue per directory`,
      );
    }
    writeLock(fsys, path, pid, 'w');
  }
  heldHere.add(key);
  return () => {
    heldHere.delete(key);
    fsys.unlinkSync(path);
  };
}

function writeLock(fsys: SpoolFs, path: string, pid: number, flags: 'wx' | 'w'): void {
  const fd = fsys.openSync(path, flags);
  try {
    const text = Buffer.from(`${pid}\n`);
    fsys.writeSync(fd, text, 0, text.length);
  } finally {
    fsys.closeSync(fd);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
