#!/usr/bin/env node
/**
 * `npm run demo`: the service against the bundled Home Assistant simulator, writing to a real InfluxDB that the
 * demo starts beside them when one is installed (influx.mjs says where it looks); without one, points wait in
 * the on-disk spool under ./data/demo and the terminal and the status page say how to get one.
 * Ctrl-C stops everything, in order: the simulated events, the service (which writes what it holds), InfluxDB,
 * the simulator.
 *
 * Settings (environment): WEBSOCKET_INGESTION_PORT (8001), DATA_DIR (./data/demo), DEMO_ENTITIES (300),
 * DEMO_EVENTS_PER_SECOND (20), DEMO_INFLUXDB_PORT (8086, or a free port when that is taken),
 * DEMO_INFLUXDB=none (start no InfluxDB), INFLUXDB_URL (use that InfluxDB instead: set its INFLUXDB_* too).
 * Any other service variable is passed through.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { choosePort, findInfluxd, GET_INFLUXDB_HINT, startDemoInflux } from './influx.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { startHaSim } = await import(join(root, 'tools/ha-sim/dist/index.js'));
const testing = await import(join(root, 'tools/testing/dist/index.js'));

const env0 = process.env;
const port = env0.WEBSOCKET_INGESTION_PORT ?? '8001';
const rate = Number(env0.DEMO_EVENTS_PER_SECOND ?? 20);
const entities = Number(env0.DEMO_ENTITIES ?? 300);
const dataDir = env0.DATA_DIR ?? join(root, 'data/demo');

let influx;
let influxLine;
if (env0.INFLUXDB_URL !== undefined) {
  influxLine = `${env0.INFLUXDB_URL} (yours, from INFLUXDB_URL)`;
} else if (env0.DEMO_INFLUXDB === 'none') {
  influxLine = `none (DEMO_INFLUXDB=none): points wait in the spool under ${dataDir}`;
} else {
  const found = findInfluxd({ env: env0, influxServerBinary: testing.influxServerBinary });
  if (found.binary === undefined) {
    influxLine =
      `none installed, so points wait in the spool under ${dataDir} (the status page says degraded).\n` +
      `                To store them: ${GET_INFLUXDB_HINT}.\n` +
      `                Looked for: ${found.looked.join('; ')}`;
  } else {
    try {
      const influxPort = await choosePort(Number(env0.DEMO_INFLUXDB_PORT ?? 8086), testing.getFreePort);
      influx = await startDemoInflux({ found, dataDir, port: influxPort, getFreePort: testing.getFreePort });
      influxLine = influx.describe;
      if (influx.stale !== undefined)
        influxLine += `\n                (stopped pid ${influx.stale}, left running by an earlier demo)`;
    } catch (error) {
      influxLine = `could not start, so points wait in the spool: ${error instanceof Error ? error.message : error}`;
    }
  }
}

// The simulated recorder keeps one hour: at 20 events/s its default 10 days would grow by about 1.5 GB a day.
const sim = await startHaSim({
  port: 0,
  token: 'demo-token',
  home: { entities, seed: 42 },
  recorder: { purgeKeepDays: 1 / 24 },
});
const stream = sim.stream({ ratePerSecond: rate });

const env = {
  ...env0,
  HOME_ASSISTANT_URL: sim.url,
  HOME_ASSISTANT_TOKEN: sim.token,
  WEBSOCKET_INGESTION_PORT: port,
  DATA_DIR: dataDir,
  LOG_FORMAT: env0.LOG_FORMAT ?? 'text',
  CORS_ALLOWED_ORIGINS: env0.CORS_ALLOWED_ORIGINS ?? `http://localhost:${port}`,
  // Points show up in InfluxDB (and the page's "written") within a second instead of the default 5 s.
  BATCH_TIMEOUT: env0.BATCH_TIMEOUT ?? '1',
  ...influx?.serviceEnv,
};
const service = spawn(process.execPath, [join(root, 'apps/ingestion/dist/main.js')], {
  env,
  stdio: 'inherit',
});

console.log(`
  HomeIQ Ingest demo
  ─────────────────
  Home Assistant simulator: ${sim.wsUrl} (token ${sim.token}), ${sim.home.entities.length} entities, ${rate} events/s
  Status page:  http://localhost:${port}/
  Health:       http://localhost:${port}/health
  Metrics:      http://localhost:${port}/metrics
  Entities:     http://localhost:${port}/api/entities
  Live events:  ws://localhost:${port}/ws
  InfluxDB:     ${influxLine}
  Ctrl-C stops.
`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  stream.stop();
  service.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
service.on('exit', async (code, signal) => {
  stream.stop();
  await influx?.stop();
  await sim.close();
  console.log(`  demo stopped (service exit ${code ?? signal}${influx ? ', InfluxDB stopped' : ''})`);
  process.exit(code ?? 0);
});
