import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartupError } from './startup-error.js';
import { ensureAppendableFile, ensureWritableDirectory } from './writable-path.js';

const subject = {
  code: 'ERR_DATA_DIR',
  label: 'DATA_DIR',
  fix: 'set DATA_DIR to a writable directory',
} as const;

/** Runs a check and returns its error (or undefined), so that a property can look at both outcomes. */
async function failureOf(check: () => Promise<void>): Promise<StartupError | undefined> {
  try {
    await check();
    return undefined;
  } catch (error) {
    if (error instanceof StartupError) return error;
    throw error;
  }
}

describe('ensureWritableDirectory', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'writable-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  // Paths an operator may give: a fresh tree under a temporary directory (fine), the same with a file standing at
  // one level of it, or a tree under /proc or /sys, which refuse new directories and files even to root. Node's
  // recursive mkdir never returns for the /proc ones; every one must end, and only the fresh tree succeed.
  const layout = fc.record({
    base: fc.constantFrom('tmp', '/proc', '/sys', '/proc/self'),
    names: fc.array(fc.stringMatching(/^[a-z][a-z0-9._-]{0,8}$/), { minLength: 0, maxLength: 4 }),
    fileAt: fc.option(fc.nat({ max: 3 }), { nil: undefined }),
  });

  it('ends for every path, succeeds exactly for a creatable one, and names the variable and the path', async () => {
    await fc.assert(
      fc.asyncProperty(layout, async ({ base, names, fileAt }) => {
        const start = base === 'tmp' ? mkdtempSync(join(root, 'case-')) : base;
        const parts = base === 'tmp' ? names : ['homeiq-test', ...names];
        const path = join(start, ...parts);
        const blocked = base === 'tmp' && fileAt !== undefined && fileAt < parts.length;
        if (blocked) {
          mkdirSync(join(start, ...parts.slice(0, fileAt)), { recursive: true });
          writeFileSync(join(start, ...parts.slice(0, fileAt + 1)), 'not a directory');
        }
        const failure = await failureOf(() => ensureWritableDirectory(path, subject));
        const shouldWork = base === 'tmp' && !blocked;
        expect(failure === undefined).toBe(shouldWork);
        if (failure) {
          expect(failure.code).toBe('ERR_DATA_DIR');
          expect(failure.message).toContain(`DATA_DIR ${JSON.stringify(path)}`);
          expect(failure.message).toContain('set DATA_DIR to a writable directory');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('says a file is in the way when DATA_DIR itself is a file', async () => {
    const file = join(root, 'data');
    writeFileSync(file, 'x');
    const failure = await failureOf(() => ensureWritableDirectory(file, subject));
    expect(failure?.message).toBe(
      `DATA_DIR ${JSON.stringify(file)} is not a directory: a file is in the way where a directory should be (ENOTDIR); set DATA_DIR to a writable directory`,
    );
  });

  it('leaves no check file behind in a directory that works', async () => {
    await ensureWritableDirectory(join(root, 'a', 'b'), subject);
    expect(readdirSync(join(root, 'a', 'b'))).toEqual([]);
  });
});

describe('ensureAppendableFile', () => {
  it('refuses a log file that is a directory, or in a directory that takes no files', async () => {
    const root = mkdtempSync(join(tmpdir(), 'log-'));
    const logSubject = { code: 'ERR_LOG_FILE', label: 'LOG_FILE', fix: 'set LOG_FILE' } as const;
    try {
      const asDir = await failureOf(() => ensureAppendableFile(root, logSubject));
      expect(asDir?.message).toContain(
        `LOG_FILE ${JSON.stringify(root)} cannot be opened for writing: it is a directory (EISDIR)`,
      );
      const inSys = await failureOf(() => ensureAppendableFile('/sys/homeiq.log', logSubject));
      expect(inSys?.message).toContain('the directory of LOG_FILE "/sys" is not writable');
      await ensureAppendableFile(join(root, 'logs', 'ingestion.log'), logSubject);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
