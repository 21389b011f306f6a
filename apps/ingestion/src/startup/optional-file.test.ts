import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOptionalFile } from './optional-file.js';

describe('readOptionalFile', () => {
  it('reads a file, says nothing of a missing one, and words one that cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optional-'));
    try {
      writeFileSync(join(dir, 'ok.env'), 'A=1\n');
      mkdirSync(join(dir, 'dir.env'));
      expect(readOptionalFile(join(dir, 'ok.env'))).toEqual({ text: 'A=1\n' });
      expect(readOptionalFile(join(dir, 'missing.env'))).toEqual({ text: undefined });
      expect(readOptionalFile(join(dir, 'dir.env'))).toEqual({
        problem: `${join(dir, 'dir.env')} exists but cannot be read: it is a directory (EISDIR)`,
      });
      const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      expect(
        readOptionalFile('.env', () => {
          throw denied;
        }),
      ).toEqual({ problem: '.env exists but cannot be read: permission denied (EACCES)' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
