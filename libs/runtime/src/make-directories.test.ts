import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirectories } from './index.js';

function codeOf(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
  return undefined;
}

describe('makeDirectories', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'homeiq-mkdirs-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('creates every missing level, and accepts a directory that exists', () => {
    const deep = join(root, 'a', 'b', 'c');
    makeDirectories(deep);
    makeDirectories(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it('throws where a file stands in the way', () => {
    writeFileSync(join(root, 'file'), '');
    expect(
      codeOf(() => {
        makeDirectories(join(root, 'file', 'x'));
      }),
    ).toBe('ENOTDIR');
  });

  // Node's recursive mkdir never returns here; one level at a time it is an error.
  (existsSync('/proc/self') ? it : it.skip)('throws ENOENT under /proc instead of hanging', () => {
    expect(
      codeOf(() => {
        makeDirectories('/proc/homeiq-nope/x');
      }),
    ).toBe('ENOENT');
  });
});
