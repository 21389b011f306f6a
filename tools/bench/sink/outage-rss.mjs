// RSS of queue + sink (spill on, production retry defaults) through an influxd outage at a steady input rate.
// The form: 10 minutes at 2000 points/s, RSS flat within 20 MB:
//   node --expose-gc tools/bench/sink/outage-rss.mjs 600 2000
// Short form (default): a 60 s outage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLibs, quiet, linePool, line, influxdBinary, mb } from './common.mjs';

const outageS = Number(process.argv[2] ?? 60);
const rate = Number(process.argv[3] ?? 2000);
const warmupS = 10;
const libs = await loadLibs();
const pool = linePool();
const dir = mkdtempSync(join(tmpdir(), 'homeiq-bench-spool-'));
const binary = influxdBinary();
const influxd = await libs.startInfluxd(binary ? { binary } : {});
await influxd.query('CREATE DATABASE bench');
const queue = libs.createBackpressureQueue({ spool: { dir }, logger: quiet });
const sink = libs.createInfluxSink({
  url: influxd.url,
  apiVersion: 1,
  database: 'bench',
  source: queue,
  logger: quiet,
});

let pushed = 0;
const started = Date.now();
const producer = setInterval(() => {
  const due = Math.floor(((Date.now() - started) * rate) / 1000);
  for (; pushed < due; pushed++) queue.push(line(pool, pushed));
}, 10);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const rss = () => {
  globalThis.gc?.();
  return process.memoryUsage().rss;
};

await sleep(warmupS * 1000);
const before = rss();
console.log(
  `warm-up ${warmupS} s at ${rate} points/s: RSS ${mb(before)} MB; stopping influxd for ${outageS} s`,
);
await influxd.stop();
let max = before;
let maxSpool = 0;
for (let s = 1; s <= outageS; s++) {
  await sleep(1000);
  const now = rss();
  max = Math.max(max, now);
  const spool = queue.stats().spool;
  maxSpool = Math.max(maxSpool, spool.bytes);
  if (s % Math.max(1, Math.floor(outageS / 10)) === 0) {
    console.log(
      `  t+${s}s RSS ${mb(now)} MB, pending in memory ${queue.stats().pending}, spool ${mb(spool.bytes)} MB (${spool.pendingLines} lines)`,
    );
  }
}
await influxd.start();
clearInterval(producer);
const drainStart = Date.now();
while (queue.stats().delivered < pushed && Date.now() - drainStart < 180_000) await sleep(100);
const m = queue.stats();
await sink.close();
const rows = (await influxd.query('SELECT count(state_value) FROM home_assistant_events', 'bench')).results[0]
  ?.series?.[0]?.values[0]?.[1];
console.log(
  `RSS before the outage ${mb(before)} MB, max during it ${mb(max)} MB: growth ${mb(max - before)} MB (limit 20 MB)`,
);
console.log(
  `spool peak ${mb(maxSpool)} MB; pushed ${pushed}, delivered ${m.delivered}, rows in influxd ${rows}, dropped ${JSON.stringify(m.dropped)}`,
);
console.log(`drained in ${((Date.now() - drainStart) / 1000).toFixed(1)} s after influxd came back`);
await influxd.dispose();
rmSync(dir, { recursive: true, force: true });
if (rows !== pushed) process.exitCode = 1;
