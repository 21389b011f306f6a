import fc from 'fast-check';
import { mkdirSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegistryDiscoveryError } from '../errors.js';
import { tempDir } from '../testing-internal/temp-dir.js';
import { createSqliteRegistryStore } from './sqlite-store.js';

/** Descriptors of this process open on `path` (Linux: /proc/self/fd). */
function openDescriptors(path: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(path)) count++;
    } catch {
      // The descriptor readdir itself used is gone by now: nothing to count.
    }
  }
  return count;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

describe('SQLite store: a database file that cannot be used', () => {
  it('any corrupt file is ERR_STORE naming the file, and leaves no descriptor open', async () => {
    const dir = tempDir();
    try {
      const content = fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 8192 }),
        // A valid header over garbage pages: SQLite opens it, then fails on the first read.
        fc
          .uint8Array({ minLength: 100, maxLength: 8192 })
          .map((rest) => Buffer.concat([SQLITE_HEADER, rest])),
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(content, async (bytes) => {
          const dataDir = join(dir.path, `case-${run++}`);
          mkdirSync(dataDir);
          writeFileSync(join(dataDir, 'registry.sqlite'), bytes);
          let store: ReturnType<typeof createSqliteRegistryStore> | undefined;
          try {
            store = createSqliteRegistryStore({ dataDir });
          } catch (error) {
            expect(error).toBeInstanceOf(RegistryDiscoveryError);
            expect(error).toMatchObject({ code: 'ERR_STORE', retryable: false });
            expect((error as Error).message).toContain(
              `Cannot open the registry database ${join(dataDir, 'registry.sqlite')}: `,
            );
          }
          // SQLite may accept a file (garbage after a header it can read): then it must close cleanly too.
          await store?.close();
          expect(openDescriptors(join(dataDir, 'registry.sqlite'))).toBe(0);
        }),
        { numRuns: 40 },
      );
    } finally {
      dir.remove();
    }
  });

  it('a data directory that cannot be created is ERR_STORE, and ends (under /proc a recursive mkdir never returns)', async () => {
    const dir = tempDir();
    try {
      const names = fc.array(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), { minLength: 1, maxLength: 3 });
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('proc', 'file', 'fresh'), names, async (base, parts) => {
          const root = join(dir.path, `case-${parts.join('-')}-${base}`);
          let dataDir = join(root, ...parts);
          if (base === 'proc') dataDir = join('/proc/homeiq-test', ...parts);
          if (base === 'file') {
            mkdirSync(root, { recursive: true });
            writeFileSync(join(root, 'file'), 'x');
            dataDir = join(root, 'file', ...parts);
          }
          let store: ReturnType<typeof createSqliteRegistryStore> | undefined;
          try {
            store = createSqliteRegistryStore({ dataDir });
            expect(base).toBe('fresh');
          } catch (error) {
            expect(base).not.toBe('fresh');
            expect(error).toMatchObject({ code: 'ERR_STORE' });
          }
          await store?.close();
        }),
        { numRuns: 30 },
      );
    } finally {
      dir.remove();
    }
  });
});
