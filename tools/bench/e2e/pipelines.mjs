// The pipelines under test, each a fresh process pinned to CPU 0 per run, with one interface:
// `start(ctx)` resolves once the pipeline is subscribed to state_changed, with `{ pid, stop(), done? }`.
//   service      : the built service (apps/ingestion/dist/main.js), configured by environment as a user would
//   serviceLarge : the same with large batches and a large queue (LARGE_QUEUE_ENV), what a user sets for throughput
//   naive        : home-assistant-js-websocket + influxdb-client Point/WriteApi, our schema (naive-client.mjs)
//   minimal      : the same clients in thirty lines: four tags, four fields, µs, large batches (minimal-client.mjs)
//   parse-only   : authenticate, subscribe, JSON.parse each frame (parse-only-client.mjs); writes nothing
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_MAIN } from './paths.mjs';
import { freePort, getJson, nextJsonLine, spawnNode, until } from './processes.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PIPELINE_CPU = 0;
export const BUCKET = 'bench';

/**
 * The service tuned for throughput (issue 20): the largest batch BATCH_SIZE allows (5,000) and a queue of a million
 * points in memory (INFLUXDB_MAX_PENDING_POINTS allows 1 to 100,000,000; apps/ingestion/src/config/variables.ts),
 * so that at saturation nothing reaches the spool and memory shows how far intake runs ahead of the sink.
 */
export const LARGE_QUEUE_ENV = { BATCH_SIZE: '5000', INFLUXDB_MAX_PENDING_POINTS: '1000000' };

/** The service as a user runs it: defaults everywhere except where it must point and a quiet log. */
async function startService(ctx) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'homeiq-bench-service-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME_ASSISTANT_URL: ctx.sim.url,
    HOME_ASSISTANT_TOKEN: ctx.sim.token,
    INFLUXDB_URL: ctx.sinkUrl,
    INFLUXDB_TOKEN: 'bench',
    INFLUXDB_BUCKET: ctx.bucket ?? BUCKET,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    WEBSOCKET_INGESTION_PORT: String(port),
    ...ctx.env,
  };
  const proc = spawnNode(PIPELINE_CPU, SERVICE_MAIN, [], { env, cwd: dataDir, nodeArgs: ctx.nodeArgs });
  const url = `http://127.0.0.1:${port}`;
  const startedMs = Date.now();
  const health = () => getJson(`${url}/health`);
  if (ctx.waitReady !== false) {
    await until(
      async () => {
        const body = await health();
        return body.subscription.is_subscribed && body.discovery.last_run !== null;
      },
      60_000,
      () => `service did not subscribe:\n${proc.output()}`,
      25,
    );
  }
  return {
    pid: proc.pid,
    url,
    startedMs,
    health,
    output: proc.output,
    async stop() {
      await proc.stop(15_000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startScript(script, args, ctx, reportsDone = false) {
  const proc = spawnNode(PIPELINE_CPU, join(HERE, script), args, { nodeArgs: ctx.nodeArgs });
  await nextJsonLine(proc, 60_000);
  // The parse-only client reports its own first and last event; the writers are timed at the sink.
  const done = reportsDone ? nextJsonLine(proc, 600_000) : undefined;
  // Stopping the process ends that wait with an error nobody needs once the run is over.
  done?.catch(() => undefined);
  return { pid: proc.pid, output: proc.output, done, stop: () => proc.stop(5000) };
}

/** A writer script: HA's HTTP URL (home-assistant-js-websocket derives the WebSocket's), the sink, the bucket. */
const writerArgs = (ctx) => [
  '--url',
  ctx.sim.url,
  '--token',
  ctx.sim.token,
  '--influx',
  ctx.sinkUrl,
  '--bucket',
  ctx.bucket ?? BUCKET,
];

export const PIPELINES = {
  service: { label: 'HomeIQ Ingest (service)', writes: true, start: startService },
  serviceLarge: {
    label: 'HomeIQ Ingest, large batches and queue',
    writes: true,
    env: LARGE_QUEUE_ENV,
    start: (ctx) => startService({ ...ctx, env: { ...LARGE_QUEUE_ENV, ...ctx.env } }),
  },
  naive: {
    label: 'naive: HAWS + influxdb-client Point/WriteApi',
    writes: true,
    start: (ctx) => startScript('naive-client.mjs', writerArgs(ctx), ctx),
  },
  minimal: {
    label: 'minimal: HAWS + Point/WriteApi, 4 tags, 4 fields, µs',
    writes: true,
    start: (ctx) => startScript('minimal-client.mjs', writerArgs(ctx), ctx),
  },
  parseOnly: {
    label: 'parse-only ceiling (ws + JSON.parse)',
    writes: false,
    start: (ctx) =>
      startScript(
        'parse-only-client.mjs',
        ['--url', ctx.sim.wsUrl, '--token', ctx.sim.token, '--total', String(ctx.total)],
        ctx,
        true,
      ),
  },
};
