import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHaSim, type HaSim } from '@homeiq/ha-sim';
import { startInfluxd2, waitFor, type Influxd2 } from '@homeiq/testing';
import pino from 'pino';
import { loadConfig, type IngestionConfig } from '../config/load-config.js';
import { startFirstStartImport } from './first-start-import.js';
import { MARKER_FILE, readImportMarker } from './import-marker.js';
import { CHECKPOINT_FILE, runImport, type ImportRequest } from './run-import.js';

/**
 * The import against the HA simulator's recorder and a real InfluxDB 2.8: a day of 20 entities lands as exactly
 * the recorder's rows of the window; a second run writes the same points (same count, same values); an
 * interrupted run (an abort in-process, a SIGKILLed CLI) resumes from its checkpoint to the same result.
 */
jest.setTimeout(60_000);

const CLI = resolve(__dirname, '../../dist/backfill/cli.js');
const DAY_US = 86_400_000_000;

let influx: Influxd2;
let sim: HaSim;
let dataDir: string;
let env: Record<string, string>;
let config: IngestionConfig;
let entityIds: string[];
let request: ImportRequest;
let expectedRows: number;

beforeAll(async () => {
  [influx, sim] = await Promise.all([
    startInfluxd2(),
    startHaSim({ home: { entities: 20, seed: 11 }, recorder: { commitIntervalMs: 0 } }),
  ]);
  entityIds = sim.home.entityIds();
  sim.recorder?.seedHistory({ days: 2, meanIntervalMs: 120_000, seed: 3, entityIds });
  dataDir = await mkdtemp(join(tmpdir(), 'homeiq-backfill-'));
  env = {
    HOME_ASSISTANT_URL: sim.url,
    HOME_ASSISTANT_TOKEN: sim.token,
    INFLUXDB_URL: influx.url,
    INFLUXDB_TOKEN: influx.writeToken,
    INFLUXDB_ORG: influx.org,
    INFLUXDB_BUCKET: influx.bucket,
    INFLUXDB_PRECISION: 'us',
    DATA_DIR: dataDir,
  };
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  config = loaded.config;
  // A fixed window a minute in the past: the simulated home's own changes of the test's time stay out of it.
  const untilUs = (Date.now() - 60_000) * 1000;
  const sinceUs = untilUs - DAY_US;
  request = {
    key: { since: 'e2e-1d', until: null, entityGlobs: [] },
    sinceUs,
    untilUs,
    entityGlobs: [],
    dryRun: false,
    pauseMs: 0,
  };
  expectedRows = entityIds
    .flatMap((id) => sim.recorder?.history(id) ?? [])
    .filter((row) => row.lastUpdatedMicros > sinceUs && row.lastUpdatedMicros < untilUs).length;
});

afterAll(async () => {
  await sim.close();
  await influx.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

const logger = pino({ level: 'silent' });

/** Every imported point's entity, time, state and duration, sorted: a run's result to compare. */
async function imported(): Promise<string[]> {
  const rows = await influx.flux(
    `from(bucket: "${influx.bucket}") |> range(start: 0) |> filter(fn: (r) => r._field == "state" or r._field == "duration_in_state_seconds" or r._field == "previous_state") |> keep(columns: ["_time", "entity_id", "_field", "_value"])`,
  );
  return rows.map((r) => `${r['entity_id']} ${r['_time']} ${r['_field']}=${r['_value']}`).sort();
}

async function countStates(): Promise<number> {
  return (await imported()).filter((line) => / state=/.test(line)).length;
}

async function deleteAll(): Promise<void> {
  const res = await fetch(`${influx.url}/api/v2/delete?org=${influx.org}&bucket=${influx.bucket}`, {
    method: 'POST',
    headers: { authorization: `Token ${influx.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ start: '1970-01-01T00:00:00Z', stop: '2100-01-01T00:00:00Z' }),
  });
  expect(res.status).toBe(204);
}

describe('backfill against the HA simulator and InfluxDB 2.8', () => {
  let first: string[];

  it("imports a day of 20 entities: exactly the recorder's rows of the window", async () => {
    const started = Date.now();
    const summary = await runImport({ config, request, logger });
    const tookMs = Date.now() - started;
    expect(summary).toMatchObject({
      entities: 20,
      rowsWritten: expectedRows,
      rowsRefused: 0,
      rowsSkipped: 0,
    });
    expect(await countStates()).toBe(expectedRows);
    first = await imported();
    // Enriched from the registry as the live service does: device tags on imported points.
    const tagged = await influx.flux(
      `from(bucket: "${influx.bucket}") |> range(start: 0) |> filter(fn: (r) => r._field == "state" and exists r.device_id) |> group() |> count()`,
    );
    expect(Number(tagged[0]?.['_value'] ?? 0)).toBeGreaterThan(0);
    process.stdout.write(`e2e: imported ${expectedRows} rows of 20 entities in ${tookMs} ms\n`);
  });

  it('writes the same points when run twice', async () => {
    const summary = await runImport({ config, request, logger });
    expect(summary.rowsWritten).toBe(expectedRows);
    expect(await imported()).toEqual(first);
  });

  it('resumes an aborted run from its checkpoint: same count, same values', async () => {
    await deleteAll();
    const abort = new AbortController();
    await expect(
      runImport({
        config,
        request,
        logger,
        signal: abort.signal,
        onProgress: (p) => {
          if (p.slicesDone === 20) abort.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'ERR_IMPORT_ABORTED' });
    const partial = await countStates();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expectedRows);
    const resumed: string[] = [];
    const summary = await runImport({ config, request, logger, onResume: () => resumed.push('yes') });
    expect(resumed).toEqual(['yes']);
    expect(summary).toMatchObject({ resumed: true, rowsWritten: expectedRows });
    expect(await imported()).toEqual(first);
  });

  it('resumes after the CLI was SIGKILLed mid-import, and exits 0 with a summary', async () => {
    await deleteAll();
    const sinceIso = new Date(request.sinceUs / 1000).toISOString();
    const untilIso = new Date(request.untilUs / 1000).toISOString();
    const args = [CLI, '--since', sinceIso, '--until', untilIso, '--pause-ms', '20'];
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'pipe' });
    const checkpoint = join(dataDir, CHECKPOINT_FILE);
    await waitFor(
      () => existsSync(checkpoint),
      20_000,
      () => 'no checkpoint written',
    );
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    const partial = await countStates();
    expect(partial).toBeLessThan(expectedRows);

    const rerun = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'pipe' });
    let out = '';
    let err = '';
    rerun.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    rerun.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise((done) => rerun.once('exit', done));
    expect({ code, resumed: err.includes('resuming from the checkpoint') }).toEqual({
      code: 0,
      resumed: true,
    });
    expect(out).toContain(
      `import resumed and finished: 20 entities, ${expectedRows.toLocaleString('en-US')} rows written`,
    );
    expect(await imported()).toEqual(first);
    process.stdout.write(`e2e: CLI killed after ${partial} rows, resumed to ${expectedRows}\n`);
  });

  it('refuses bad arguments with exit code 2 and no stack trace', async () => {
    const child = spawn(process.execPath, [CLI, '--since', 'last tuesday'], {
      env: { ...process.env, ...env },
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise((done) => child.once('exit', done));
    expect(code).toBe(2);
    expect(err).toContain('--since must be an ISO date/time');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('imports the last days once on the first start of a new install (HA_RECORDER_IMPORT_DAYS)', async () => {
    await deleteAll();
    const firstDir = await mkdtemp(join(tmpdir(), 'homeiq-first-start-'));
    const firstConfig = {
      ...config,
      dataDir: firstDir,
      homeAssistant: { ...config.homeAssistant, recorderImportDays: 1 },
    };
    try {
      const ran = startFirstStartImport({
        config: firstConfig,
        log: logger,
        connectedAtMs: request.untilUs / 1000,
        newInstall: true,
        startDelayMs: 0,
      });
      await waitFor(
        () => existsSync(join(firstDir, MARKER_FILE)),
        20_000,
        () => 'no marker written',
      );
      await ran.close();
      expect(await readImportMarker(firstDir)).toMatchObject({
        untilUs: request.untilUs,
        rowsWritten: expectedRows,
      });
      expect(await imported()).toEqual(first);
      // An install that ran before (state memory restored) and no checkpoint of a first-start import: nothing.
      const other = await mkdtemp(join(tmpdir(), 'homeiq-first-start-'));
      const skipped = startFirstStartImport({
        config: { ...firstConfig, dataDir: other },
        log: logger,
        connectedAtMs: Date.now(),
        newInstall: false,
        startDelayMs: 0,
      });
      await new Promise((done) => setTimeout(done, 200));
      await skipped.close();
      expect(existsSync(join(other, MARKER_FILE))).toBe(false);
      await rm(other, { recursive: true, force: true });
    } finally {
      await rm(firstDir, { recursive: true, force: true });
    }
  });
});
