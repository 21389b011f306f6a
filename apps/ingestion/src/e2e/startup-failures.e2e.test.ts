import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort, runService, startService, type ServiceProcess } from '@homeiq/testing';

/**
 * The built service started with each operator error of issue 13 (class 4): a bad setting exits 2, a start-up step
 * that cannot succeed exits 3, each with one message naming what to change and no stack trace, and none of them
 * hangs. The deadline given to each run is the harness's, generous on purpose: the assertion is that it exits.
 */
jest.setTimeout(120_000);

const RUN_DEADLINE_MS = 30_000;
const STACK_LINE = /^\s+at /m;

let root: string;
let base: Record<string, string>;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'startup-failures-'));
  // Nothing listens on port 9 (discard): HA is unreachable, which never stops start-up, so only the error at hand can.
  base = { HOME_ASSISTANT_URL: 'http://127.0.0.1:9', HOME_ASSISTANT_TOKEN: 'e2e-token', LOG_LEVEL: 'warn' };
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const fresh = (name: string): string => mkdtempSync(join(root, `${name}-`));

/** Runs the service with `env` and checks the one-message contract; returns the message for case-specific checks. */
async function expectFailure(env: Record<string, string>, exitCode: 2 | 3, names: string): Promise<string> {
  const port = String(await getFreePort());
  const run = await runService(
    { ...base, WEBSOCKET_INGESTION_PORT: port, ...env },
    { timeoutMs: RUN_DEADLINE_MS },
  );
  const context = `output was:\n${run.output}`;
  expect({ timedOut: run.timedOut, code: run.code, context }).toEqual({
    timedOut: false,
    code: exitCode,
    context,
  });
  expect(run.output).not.toMatch(STACK_LINE);
  const lead =
    exitCode === 2 ? 'Invalid configuration, nothing was started:' : 'Start-up failed, nothing is running: ';
  const messages = run.output.split('\n').filter((line) => line.startsWith(lead));
  expect(messages).toHaveLength(1);
  expect(run.output).toContain(names);
  return run.output;
}

describe('configuration errors exit 2 with the problem named', () => {
  it.each([
    [{ BATCH_SIZE: '6000' }, 'BATCH_SIZE must be <= 5000, got "6000"'],
    [{ INFLUXDB_MAX_PENDING_POINTS: '50' }, 'INFLUXDB_MAX_PENDING_POINTS must be >= BATCH_SIZE (100)'],
    [
      { INFLUXDB_URL: 'ws://influx:8086', INFLUXDB_TOKEN: 't' },
      'INFLUXDB_URL must start with http:// or https://',
    ],
  ])('%j', async (env, names) => {
    await expectFailure({ DATA_DIR: fresh('config'), ...env }, 2, names);
  });
});

describe('start-up failures exit 3 with one message naming what to fix', () => {
  it('DATA_DIR is a file', async () => {
    const file = join(fresh('file'), 'data');
    writeFileSync(file, 'not a directory');
    await expectFailure({ DATA_DIR: file }, 3, `DATA_DIR ${JSON.stringify(file)} is not a directory`);
  });

  it('DATA_DIR under a file (a parent that cannot be a directory)', async () => {
    const file = join(fresh('parent'), 'data');
    writeFileSync(file, 'not a directory');
    await expectFailure(
      { DATA_DIR: join(file, 'sub', 'dir') },
      3,
      `cannot be created (${file} is a file): a file is in the way where a directory should be (ENOTDIR)`,
    );
  });

  it('DATA_DIR is not writable (sysfs refuses even root)', async () => {
    // EACCES on a read-write sysfs, EROFS where containers mount it read-only: either way, not writable.
    await expectFailure({ DATA_DIR: '/sys' }, 3, 'DATA_DIR "/sys" is not writable: ');
  });

  it('DATA_DIR=/proc/nope ends instead of hanging in a recursive mkdir', async () => {
    await expectFailure({ DATA_DIR: '/proc/nope' }, 3, 'DATA_DIR "/proc/nope" cannot be created');
  });

  it('the spool directory is blocked by a file', async () => {
    const dir = fresh('spool');
    writeFileSync(join(dir, 'spool'), 'not a directory');
    await expectFailure({ DATA_DIR: dir }, 3, 'the spool directory (DATA_DIR/spool)');
  });

  it.each([
    [
      'in a directory that takes no files',
      '/sys/homeiq-ingestion.log',
      'the directory of LOG_FILE "/sys" is not writable',
    ],
    [
      'under /proc (a recursive mkdir would hang)',
      '/proc/nope/ingestion.log',
      'the directory of LOG_FILE "/proc/nope"',
    ],
  ])('LOG_FILE %s', async (_, file, names) => {
    await expectFailure({ DATA_DIR: fresh('log'), LOG_OUTPUT: 'file', LOG_FILE: file }, 3, names);
  });

  it('the registry database is corrupt', async () => {
    const dir = fresh('sqlite');
    writeFileSync(join(dir, 'registry.sqlite'), 'this is not an SQLite database '.repeat(100));
    const output = await expectFailure({ DATA_DIR: dir }, 3, 'Cannot open the registry database');
    expect(output).toContain('move the file aside');
  });

  it('the registry database cannot be opened (a directory in its place)', async () => {
    const dir = fresh('sqlite-dir');
    mkdirSync(join(dir, 'registry.sqlite'));
    await expectFailure({ DATA_DIR: dir }, 3, '[ERR_REGISTRY_DB]');
  });

  describe('with the port taken', () => {
    let holder: Server;
    let port: number;
    beforeAll(async () => {
      port = await getFreePort();
      holder = createServer();
      await new Promise<void>((resolve) => holder.listen(port, '0.0.0.0', resolve));
    });
    afterAll(() => {
      holder.close();
    });

    it('names WEBSOCKET_INGESTION_PORT', async () => {
      const run = await runService(
        { ...base, DATA_DIR: fresh('port'), WEBSOCKET_INGESTION_PORT: String(port) },
        { timeoutMs: RUN_DEADLINE_MS },
      );
      expect([run.timedOut, run.code]).toEqual([false, 3]);
      expect(run.output).not.toMatch(STACK_LINE);
      expect(run.output).toContain(`WEBSOCKET_INGESTION_PORT ${port} is already in use by another process`);
    });
  });

  describe('with another instance running on the same DATA_DIR', () => {
    let first: ServiceProcess;
    let dir: string;
    beforeAll(async () => {
      dir = fresh('lock');
      const port = await getFreePort();
      first = await startService({ ...base, DATA_DIR: dir, WEBSOCKET_INGESTION_PORT: String(port) }, port);
    });
    afterAll(async () => {
      await first.stop();
    });

    it('the second one says so and leaves the first running', async () => {
      await expectFailure({ DATA_DIR: dir }, 3, 'another instance is running with DATA_DIR');
      expect((await first.get<{ status: string }>('/health')).status).toBeDefined();
    });
  });
});

describe('memory is taken as points arrive', () => {
  it('INFLUXDB_MAX_PENDING_POINTS=100000000 starts and answers /health', async () => {
    const port = await getFreePort();
    const service = await startService(
      {
        ...base,
        DATA_DIR: fresh('big'),
        WEBSOCKET_INGESTION_PORT: String(port),
        INFLUXDB_MAX_PENDING_POINTS: '100000000',
      },
      port,
    );
    try {
      const health = await service.get<{ performance: { memory_mb: number } }>('/health');
      expect(health.performance.memory_mb).toBeLessThan(500);
    } finally {
      await service.stop();
    }
  });
});
