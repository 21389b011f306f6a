// Throughput of queue + sink, one process (pin it: `taskset -c 0`), against:
//   baseline: the same lines POSTed straight from a loop in 5000-line bodies (no queue, no sink),
//   discard : queue + sink → an endpoint that accepts and discards (v1 /write, no gzip; and v2 with gzip),
//   influxd : queue + sink → the local influxd 1.x (/write), the real storage engine.
// Usage: node tools/bench/sink/throughput.mjs [points=1000000]
import http from 'node:http';
import { loadLibs, quiet, linePool, line, startDiscardServer, influxdBinary } from './common.mjs';

const total = Number(process.argv[2] ?? 1_000_000);
const libs = await loadLibs();
const pool = linePool();

async function baseline(url) {
  const agent = new http.Agent({ keepAlive: true });
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < total; i += 5000) {
    const lines = [];
    for (let j = i; j < Math.min(total, i + 5000); j++) lines.push(line(pool, j));
    const body = lines.join('\n');
    await new Promise((resolve, reject) => {
      const req = http.request(`${url}/write?db=bench`, { method: 'POST', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  agent.destroy();
  return result(started, cpu, total);
}

async function pipelineRun(sinkOptions) {
  const queue = libs.createBackpressureQueue({ maxPending: 20_000, batchSize: 100, logger: quiet });
  const sink = libs.createInfluxSink({ logger: quiet, source: queue, ...sinkOptions });
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < total;) {
    // Producer backpressure: keep memory below the bound so nothing is dropped and the sink sets the pace.
    if (queue.stats().pending < 15_000) {
      for (const end = Math.min(total, i + 5000); i < end; i++) queue.push(line(pool, i));
    } else {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  queue.flush();
  while (queue.stats().delivered < total) await new Promise((resolve) => setTimeout(resolve, 1));
  const r = result(started, cpu, total);
  const m = sink.stats();
  await sink.close();
  if (m.pointsWritten !== total) throw new Error(`wrote ${m.pointsWritten} of ${total}`);
  return { ...r, requests: m.requests };
}

function result(started, cpu, points) {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { points, seconds, perSecond: points / seconds, perCpuSecond: points / cpuSeconds };
}

const discard = await startDiscardServer();
const binary = influxdBinary();
const influxd = await libs.startInfluxd(binary ? { binary } : {});
await influxd.query('CREATE DATABASE bench');
try {
  const rows = [];
  const base = await baseline(discard.url);
  rows.push(['baseline: raw POST loop → discard', base]);
  rows.push([
    'queue+sink v1 → discard',
    await pipelineRun({ url: discard.url, apiVersion: 1, database: 'bench' }),
  ]);
  rows.push([
    'queue+sink v2 gzip → discard',
    await pipelineRun({ url: discard.url, token: 't', bucket: 'bench' }),
  ]);
  rows.push([
    'queue+sink v1 → influxd',
    await pipelineRun({ url: influxd.url, apiVersion: 1, database: 'bench' }),
  ]);
  const stored = (await influxd.query('SELECT count(state_value) FROM home_assistant_events', 'bench'))
    .results[0]?.series?.[0]?.values[0]?.[1];
  console.log(`points per run: ${total}; node ${process.version}; influxd rows after the run: ${stored}`);
  console.log(
    'run'.padEnd(36),
    'points/s'.padStart(10),
    'points/cpu-s'.padStart(13),
    'x baseline'.padStart(11),
  );
  for (const [name, r] of rows) {
    console.log(
      name.padEnd(36),
      Math.round(r.perSecond).toLocaleString('en').padStart(10),
      Math.round(r.perCpuSecond).toLocaleString('en').padStart(13),
      (r.perSecond / base.perSecond).toFixed(2).padStart(11),
    );
  }
} finally {
  discard.stop();
  await influxd.dispose();
}
