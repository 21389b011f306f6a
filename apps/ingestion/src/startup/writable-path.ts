import * as fsp from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describeSystemError, errnoCode, StartupError, type StartupErrorCode } from './startup-error.js';

/** The asynchronous file-system calls the checks make; tests pass failing or never-answering ones. */
export interface CheckFs {
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  mkdir(path: string): Promise<unknown>;
  open(path: string, flags: 'wx' | 'a'): Promise<{ close(): Promise<void> }>;
  unlink(path: string): Promise<void>;
}

export const nodeCheckFs: CheckFs = {
  stat: (path) => fsp.stat(path),
  mkdir: (path) => fsp.mkdir(path),
  open: (path, flags) => fsp.open(path, flags),
  unlink: (path) => fsp.unlink(path),
};

/** What a check is about, for its message: the variable to fix and the error code to report. */
export interface PathSubject {
  readonly code: StartupErrorCode;
  /** How the operator names the path: `DATA_DIR`, `LOG_FILE`, `the spool directory (DATA_DIR/spool)`. */
  readonly label: string;
  /** What to change, e.g. `set DATA_DIR to a writable directory`. */
  readonly fix: string;
}

/**
 * Creates `path` and its missing parents, then proves that a file can be created in it. Parents are created one
 * at a time with a plain `mkdir`: Node's `recursive: true` never returns when the file system answers ENOENT for a
 * parent that exists (/proc does), and a per-level `mkdir` turns that into an error instead.
 */
export async function ensureWritableDirectory(
  path: string,
  subject: PathSubject,
  fs: CheckFs = nodeCheckFs,
): Promise<void> {
  const fail = (what: string, error: unknown): StartupError =>
    new StartupError(
      subject.code,
      `${subject.label} ${JSON.stringify(path)} ${what}: ${describeSystemError(error)}; ${subject.fix}`,
      { cause: error },
    );
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const found = await statOrMissing(fs, dir).catch((error: unknown) => {
      throw fail('cannot be read', error);
    });
    if (found === 'missing') {
      missing.unshift(dir);
      if (dirname(dir) === dir) break;
      continue;
    }
    if (!found.isDirectory()) {
      const notDir = Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
      throw fail(
        dir === resolve(path) ? 'is not a directory' : `cannot be created (${dir} is a file)`,
        notDir,
      );
    }
    break;
  }
  for (const dir of missing) {
    try {
      await fs.mkdir(dir);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw fail(`cannot be created (at ${dir})`, error);
    }
  }
  const probe = join(path, `.write-check-${process.pid}`);
  try {
    await (await fs.open(probe, 'wx')).close();
  } catch (error) {
    throw fail('is not writable', error);
  }
  await fs.unlink(probe).catch((error: unknown) => {
    throw fail('is not writable (the check file cannot be removed)', error);
  });
}

/** Creates the parent directories of `file` as {@link ensureWritableDirectory} does, then opens it for append. */
export async function ensureAppendableFile(
  file: string,
  subject: PathSubject,
  fs: CheckFs = nodeCheckFs,
): Promise<void> {
  await ensureWritableDirectory(
    dirname(file),
    { ...subject, label: `the directory of ${subject.label}` },
    fs,
  );
  try {
    await (await fs.open(file, 'a')).close();
  } catch (error) {
    throw new StartupError(
      subject.code,
      `${subject.label} ${JSON.stringify(file)} cannot be opened for writing: ${describeSystemError(error)}; ${subject.fix}`,
      { cause: error },
    );
  }
}

async function statOrMissing(fs: CheckFs, path: string): Promise<{ isDirectory(): boolean } | 'missing'> {
  try {
    return await fs.stat(path);
  } catch (error) {
    // ENOTDIR: a file stands higher up; walking on up finds it and names it.
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}
