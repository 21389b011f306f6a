import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackpressureQueue } from '@homeiq/backpressure-queue';
import { createSqliteRegistryStore } from '@homeiq/registry-discovery';
import { explainStartupFailure } from './explain-failure.js';

/** What the real libraries and Node throw, explained: the code, and the setting the message tells the operator to change. */
describe('explainStartupFailure', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'explain-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const context = () => ({ port: 8001, dataDir: dir });
  const thrownBy = (build: () => unknown): unknown => {
    try {
      build();
    } catch (error) {
      return error;
    }
    throw new Error('expected a throw');
  };

  it('a spool held by a live process names DATA_DIR and the other instance', () => {
    mkdirSync(join(dir, 'spool'));
    // PID 1 is always alive: the lock reads as held by another running process.
    writeFileSync(join(dir, 'spool', 'LOCK'), '1\n');
    const error = thrownBy(() => createBackpressureQueue({ spool: { dir: join(dir, 'spool') } }));
    const failure = explainStartupFailure(error, context());
    expect(failure.code).toBe('ERR_SPOOL_LOCKED');
    expect(failure.message).toContain('in use by process 1');
    expect(failure.message).toContain('another instance is running with DATA_DIR');
  });

  it.each([
    [
      'a corrupt file',
      (path: string) => {
        writeFileSync(path, 'this is not an SQLite database, only text '.repeat(200));
      },
    ],
    [
      'a directory in the way',
      (path: string) => {
        mkdirSync(path);
      },
    ],
  ])('the registry database as %s names the file and what to do', (_, spoil) => {
    spoil(join(dir, 'registry.sqlite'));
    const error = thrownBy(() => createSqliteRegistryStore({ dataDir: dir }));
    const failure = explainStartupFailure(error, context());
    expect(failure.code).toBe('ERR_REGISTRY_DB');
    expect(failure.message).toContain(`Cannot open the registry database ${join(dir, 'registry.sqlite')}`);
    expect(failure.message).toContain('move the file aside');
  });

  it('a port in use names WEBSOCKET_INGESTION_PORT', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    const second = createServer();
    const error = await new Promise<unknown>((resolve) => {
      second.once('error', resolve);
      second.listen(port, '127.0.0.1');
    });
    holder.close();
    const failure = explainStartupFailure(error, { port, dataDir: dir });
    expect(failure).toMatchObject({
      code: 'ERR_PORT',
      message: `WEBSOCKET_INGESTION_PORT ${port} is already in use by another process; stop the other process or set WEBSOCKET_INGESTION_PORT to a free port`,
    });
  });

  it('a port that needs privileges says so', () => {
    const error = Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:80'), {
      code: 'EACCES',
      syscall: 'listen',
    });
    expect(explainStartupFailure(error, { port: 80, dataDir: dir }).message).toContain(
      'WEBSOCKET_INGESTION_PORT 80 needs privileges',
    );
  });

  it('anything else keeps its message and errno, under ERR_STARTUP', () => {
    const error = Object.assign(new Error('something odd'), { code: 'EIO' });
    expect(explainStartupFailure(error, context())).toMatchObject({
      code: 'ERR_STARTUP',
      message: 'something odd (EIO)',
    });
  });
});
