#!/usr/bin/env node
/**
 * `npm run demo`: the service against the bundled Home Assistant simulator, on embedded defaults (SQLite
 * registry store and the on-disk spool under ./data/demo; InfluxDB only when INFLUXDB_URL is set).
 * Ctrl-C stops both; the service flushes or spills what it holds first.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { startHaSim } = await import(join(root, 'tools/ha-sim/dist/index.js'));

const port = process.env.WEBSOCKET_INGESTION_PORT ?? '8001';
const rate = Number(process.env.DEMO_EVENTS_PER_SECOND ?? 20);
// The simulated recorder keeps one hour: at 20 events/s its default 10 days would grow by about 1.5 GB a day.
const sim = await startHaSim({
  port: 0,
  token: 'demo-token',
  home: { entities: 300, seed: 42 },
  recorder: { purgeKeepDays: 1 / 24 },
});
const stream = sim.stream({ ratePerSecond: rate });

const env = {
  ...process.env,
  HOME_ASSISTANT_URL: sim.url,
  HOME_ASSISTANT_TOKEN: sim.token,
  WEBSOCKET_INGESTION_PORT: port,
  DATA_DIR: process.env.DATA_DIR ?? join(root, 'data/demo'),
  LOG_FORMAT: process.env.LOG_FORMAT ?? 'text',
  CORS_ALLOWED_ORIGINS: process.env.CORS_ALLOWED_ORIGINS ?? `http://localhost:${port}`,
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
  InfluxDB:     ${process.env.INFLUXDB_URL ?? 'not set: points wait in the spool under ' + env.DATA_DIR}
  Ctrl-C stops.
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  stream.stop();
  service.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
service.on('exit', async (code) => {
  stream.stop();
  await sim.close();
  process.exit(code ?? 0);
});
