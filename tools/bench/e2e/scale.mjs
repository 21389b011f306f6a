// Scale suite: a home of 10,000 entities and 2,000 devices, then a small one (300 entities). From the service's spawn:
// when /health answers, when it is subscribed, when the registries are loaded, when the first batch is acknowledged
// (the simulator streams at a low rate throughout, so a batch of BATCH_SIZE fills within a moment of subscribing);
// then its RSS when idle and, in the large home, the times of the registry queries (GET /api/…), over a keep-alive
// connection from this process. The naive and minimal pipelines' idle RSS in the same homes, for reference.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { startSim, startSink } from './infra.mjs';
import { PIPELINES } from './pipelines.mjs';
import { memoryMb, rssBreakdownMb, sleep } from './processes.mjs';
import { summary } from './stats.mjs';

/** Events/s the simulator streams during the start-up measurement. */
export const START_RATE = 2000;

/**
 * `{ entities, devices, startRate, runs: [figures…], queries, naiveIdleRssMb, minimalIdleRssMb, small }`, where
 * `small` is the same (without queries) for a home of `smallEntities` (skipped when 0).
 */
export async function scaleSuite({
  entities,
  devices,
  smallEntities,
  runs,
  idleMs,
  queryRepeats,
  deflate,
  log,
}) {
  const result = await home({ entities, devices, runs, idleMs, queryRepeats, deflate, log });
  if (smallEntities > 0) {
    result.small = await home({ entities: smallEntities, runs, idleMs, queryRepeats: 0, deflate, log });
  }
  return result;
}

async function home({ entities, devices, runs, idleMs, queryRepeats, deflate, log }) {
  const sim = await startSim({ entities, devices, deflate });
  const sink = await startSink();
  const result = {
    entities: sim.entities,
    devices: sim.devices,
    startRate: START_RATE,
    runs: [],
    queries: null,
  };
  const size = `${sim.entities.toLocaleString('en')} entities`;
  try {
    for (let round = 1; round <= runs; round++) {
      const last = round === runs;
      const run = await startUp({ sim, sink, idleMs, queryRepeats: last ? queryRepeats : 0 });
      result.runs.push(run.figures);
      if (last) result.queries = run.queries;
      const f = run.figures;
      log(
        `scale, ${size}, round ${round}/${runs}: subscribed ${f.subscribedMs} ms, registries ${f.registriesMs} ms, ` +
          `first write ${f.firstWriteMs} ms, idle RSS ${f.idleRssMb.toFixed(0)} MB`,
      );
    }
    for (const name of ['naive', 'minimal']) {
      const rss = await writerIdle({ pipeline: PIPELINES[name], sim, sink, idleMs });
      result[`${name}IdleRssMb`] = rss;
      log(`scale, ${size}: the ${name} pipeline, idle RSS ${rss.toFixed(0)} MB`);
    }
  } finally {
    await sink.stop();
    await sim.stop();
  }
  return result;
}

async function startUp({ sim, sink, idleMs, queryRepeats }) {
  await sink.reset(false);
  // The stream runs until stopped; its control call answers then.
  const streaming = sim.stream(START_RATE, 1e12);
  const startedMs = Date.now();
  const service = await PIPELINES.service.start({ sim, sinkUrl: sink.url, waitReady: false });
  try {
    const marks = await watchStart(service, sim.entities, startedMs);
    const { timeline } = await sink.stats();
    await sim.stopStreams();
    await streaming;
    await sleep(idleMs);
    const idleRssMb = memoryMb(service.pid).rss;
    const idleMemoryMb = {
      ...rssBreakdownMb(service.pid),
      v8HeapUsed: (await service.health()).performance.heap_used_mb,
    };
    const queries = queryRepeats > 0 ? await timeQueries(service.url, queryRepeats) : null;
    return {
      figures: { ...marks, firstWriteMs: Math.round(timeline[0][0] - startedMs), idleRssMb, idleMemoryMb },
      queries,
    };
  } finally {
    await sim.stopStreams();
    await service.stop();
  }
}

/** A baseline's RSS with the same home after a second of events and `idleMs` without (naive reads the registries). */
async function writerIdle({ pipeline, sim, sink, idleMs }) {
  const proc = await pipeline.start({ sim, sinkUrl: sink.url });
  try {
    await sim.stream(START_RATE, START_RATE);
    await sleep(idleMs);
    return memoryMb(proc.pid).rss;
  } finally {
    await proc.stop();
  }
}

/** Polls /health every 10 ms until subscribed with all registries loaded and a write acknowledged. */
async function watchStart(service, entities, startedMs) {
  const marks = { healthMs: null, subscribedMs: null, registriesMs: null };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`the service did not start:\n${service.output()}`);
    let body;
    try {
      body = await service.health();
    } catch {
      // Not listening yet.
      await sleep(10);
      continue;
    }
    const at = Date.now() - startedMs;
    marks.healthMs ??= at;
    if (body.subscription.is_subscribed) marks.subscribedMs ??= at;
    if (body.discovery.last_run !== null && body.discovery.entities >= entities) marks.registriesMs ??= at;
    if (marks.subscribedMs !== null && marks.registriesMs !== null && body.sink.written > 0) return marks;
    await sleep(10);
  }
}

const QUERIES = [
  '/api/entities',
  '/api/entities?limit=10000',
  '/api/entities?domain=sensor&limit=10000',
  '/api/devices?limit=1000',
  '/api/areas',
];

/** Median and p95 (ms) of each registry query, after warm-up, one request at a time. */
async function timeQueries(base, repeats) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const result = {};
  try {
    for (const path of QUERIES) {
      for (let i = 0; i < 5; i++) await get(agent, base + path);
      const samples = [];
      let bytes = 0;
      for (let i = 0; i < repeats; i++) {
        const started = performance.now();
        bytes = await get(agent, base + path);
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      result[path] = {
        ...summary(samples),
        p95: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))],
        bytes,
      };
    }
  } finally {
    agent.destroy();
  }
  return result;
}

function get(agent, url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let bytes = 0;
        res.on('data', (chunk) => (bytes += chunk.length));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${url}: ${res.statusCode}`)),
        );
      })
      .on('error', reject);
  });
}
