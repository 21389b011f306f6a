import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHaSim, type HaSim } from '@homeiq/ha-sim';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../logger.js';
import { createIngestion, type Ingestion } from './ingestion.js';

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly component?: string;
}

describe("the service's log across one reconnect", () => {
  let sim: HaSim;
  let ingestion: Ingestion | undefined;
  let dataDir: string;
  const lines: Line[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const stream = {
    write(chunk: string) {
      for (const text of chunk.split('\n').filter((t) => t !== '')) lines.push(JSON.parse(text) as Line);
      for (const w of waiters.filter((w) => w.test())) w.resolve();
    },
  };
  const until = (test: () => boolean) =>
    test() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve }));
  const count = (msg: RegExp) => lines.filter((l) => msg.test(l.msg)).length;

  beforeAll(async () => {
    sim = await startHaSim();
    dataDir = mkdtempSync(join(tmpdir(), 'ingestion-logs-'));
  });
  afterAll(async () => {
    await ingestion?.close(1_000);
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes one line per event: disconnected, reconnect attempt, connected, HA not running, gap filled', async () => {
    const result = loadConfig({
      HOME_ASSISTANT_URL: sim.url,
      HOME_ASSISTANT_TOKEN: sim.token,
      DATA_DIR: dataDir,
    });
    if (!result.ok) throw new Error(result.problems.join('; '));
    ingestion = createIngestion(result.config, createLogger(result.config.log, stream));
    await ingestion.start();
    await until(() => count(/^Connected to Home Assistant$/) === 1);
    // Let the first connection's work finish (registries, then initial states: HA answers in order), so that the
    // drop below interrupts nothing but the connection itself.
    await ingestion.discovery.refreshAll();
    await ingestion.ha.sendCommand('get_config');

    const before = lines.length;
    sim.setCoreState('STARTING');
    sim.dropConnections(1012);
    await until(() => count(/^Connected to Home Assistant$/) === 2);
    await until(() => count(/not running/i) >= 1);
    await until(() => count(/^filled the gap/) >= 1);

    // Every line at info and above the drop produced, lib or app: each event once, nothing else.
    const said = lines
      .slice(before)
      .filter((l) => l.level >= 30)
      .map((l) => l.msg.replace(/in \d+\.\ds$/, 'in …s'));
    expect(said.sort()).toEqual(
      [
        'Connected to Home Assistant',
        'Disconnected from Home Assistant',
        'Home Assistant is not running yet; subscriptions are in place',
        'Reconnection attempt 1/∞ in …s',
        'filled the gap: 0 recorded changes, 0 entities at their final state only',
      ].sort(),
    );
  }, 15_000);

  it('writes one error line when the client gives up', async () => {
    await ingestion?.close(1_000);
    lines.length = 0;
    const result = loadConfig({
      HOME_ASSISTANT_URL: sim.url,
      HOME_ASSISTANT_TOKEN: 'not-the-token',
      DATA_DIR: dataDir,
      WEBSOCKET_MAX_RETRIES: '0',
    });
    if (!result.ok) throw new Error(result.problems.join('; '));
    ingestion = createIngestion(result.config, createLogger(result.config.log, stream));
    await ingestion.start();
    await until(() => lines.some((l) => l.level >= 50));
    expect(lines.filter((l) => l.level >= 40).map((l) => [l.component, l.msg])).toEqual([
      ['ingestion', expect.stringMatching(/^Gave up after 0 retries: /)],
    ]);
  });
});
