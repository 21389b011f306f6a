import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { compileChildModules, type ChildModules } from '@homeiq/testing';
import { createBackpressureQueue } from '../index.js';
import type { FsyncPolicy } from '../options.js';

/**
 * A real process pushes lines through a spilling queue and is killed with SIGKILL: every line it had spilled
 * comes back, in order, from a new queue on the same directory; only the lines still in memory are lost.
 */
let child: ChildModules;
beforeAll(async () => {
  child = await compileChildModules({ 'backpressure-queue': resolve(__dirname, '..') });
});
afterAll(async () => {
  await child.dispose();
});

const line = (i: number): string => `m,host=h v=${i}i ${i}`;

const script = (modules: string): string => `
const { createBackpressureQueue } = require(${JSON.stringify(join(modules, 'backpressure-queue/index.js'))});
const queue = createBackpressureQueue({
  maxPending: 100,
  batchSize: 50,
  spool: { dir: process.env.SPOOL_DIR, fsync: process.env.FSYNC, segmentMaxBytes: 4096 },
});
const total = Number(process.env.LINES);
for (let i = 0; i < total; i++) queue.push(\`m,host=h v=\${i}i \${i}\`);
const m = queue.stats();
process.stdout.write(JSON.stringify({ pending: m.pending, spooled: m.spool.pendingLines }) + '\\n');
setInterval(() => undefined, 1000);
`;

describe.each<FsyncPolicy>(['always', 'interval', 'never'])('SIGKILL with fsync %s', (fsync) => {
  let dir: string;
  let proc: ChildProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'homeiq-kill-'));
  });
  afterEach(async () => {
    // A test that failed before its SIGKILL leaves the child idling on its interval: jest would never exit.
    if (proc !== undefined && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await once(proc, 'exit');
    }
    proc = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no spilled line: a new queue replays exactly them, in order; memory lines are the only loss', async () => {
    proc = child.spawn(script(child.dir), { env: { SPOOL_DIR: dir, FSYNC: fsync, LINES: '1050' } });
    const [first] = (await once(createInterface({ input: proc.stdout ?? process.stdin }), 'line')) as [
      string,
    ];
    const report = JSON.parse(first) as { pending: number; spooled: number };
    proc.kill('SIGKILL');
    await once(proc, 'exit');
    expect(report.pending + report.spooled).toBe(1050);
    expect(report.spooled).toBeGreaterThanOrEqual(950);

    const queue = createBackpressureQueue({ maxPending: 100, spool: { dir } });
    const replayed: string[] = [];
    while (queue.stats().spool?.pendingLines) {
      const batch = await queue.take();
      replayed.push(...(batch?.lines ?? []));
      batch?.ack();
    }
    await queue.close({ timeoutMs: 0 });
    expect(replayed).toEqual(Array.from({ length: report.spooled }, (_, i) => line(i)));
  });
});
