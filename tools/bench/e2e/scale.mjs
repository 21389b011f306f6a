// Scale suite: a home of 10,000 entities and 2,000 devices. From the service's spawn: when /health answers, when it is
// subscribed, when the registries are loaded, when the first batch is acknowledged (the simulator streams at a low
// rate throughout, so a batch of BATCH_SIZE fills within a moment of subscribing); then its RSS when idle and the
// times of the registry queries (GET /api/…), over a keep-alive connection from this process.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { startSim, startSink } from './infra.mjs';
import { PIPELINES } from './pipelines.mjs';
import { memoryMb, rssBreakdownMb, sleep } from './processes.mjs';
import { summary } from './stats.mjs';

/** Events/s the simulator streams during the start-up measurement. */
export const START_RATE = 2000;

export async function scaleSuite({ entities, devices, runs, idleMs, queryRepeats, deflate, log }) {
  const sim = await startSim({ entities, devices, deflate });
  const sink = await startSink();
  const result = {
    entities: sim.entities,
    devices: sim.devices,
    startRate: START_RATE,
    runs: [],
    queries: null,
  };
  try {
    for (let round = 1; round <= runs; round++) {
      const last = round === runs;
      const run = await startUp({ sim, sink, idleMs, queryRepeats: last ? queryRepeats : 0 });
      result.runs.push(run.figures);
      if (last) result.queries = run.queries;
      const f = run.figures;
      log(
        `scale, round ${round}/${runs}: subscribed ${f.subscribedMs} ms, registries ${f.registriesMs} ms, ` +
          `first write ${f.firstWriteMs} ms, idle RSS ${f.idleRssMb.toFixed(0)} MB`,
      );
    }
    result.naiveIdleRssMb = await naiveIdle({ sim, sink, idleMs });
    log(`scale: the naive pipeline with the same home, idle RSS ${result.naiveIdleRssMb.toFixed(0)} MB`);
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

/** The naive pipeline's RSS with the same home (it also reads the registries at start), for reference. */
async function naiveIdle({ sim, sink, idleMs }) {
  const naive = await PIPELINES.naive.start({ sim, sinkUrl: sink.url });
  try {
    await sim.stream(START_RATE, START_RATE);
    await sleep(idleMs);
    return memoryMb(naive.pid).rss;
  } finally {
    await naive.stop();
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
