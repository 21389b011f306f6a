// The simulated Home Assistant of the import benchmark, in its own process (the runner pins it to CPU 1): a home
// whose recorder holds `--days` days of history, seeded with per-domain change rates (RATES below). Prints one
// JSON line, `{ url, token, control, entities, rows, untilUs }`, then answers on a small HTTP control port:
//   GET /stats     the recorder's history answers (requests, messages, bytes, largest), the commands by type,
//                  and this process's CPU seconds and peak RSS so far
//   GET /expected?since=<µs>&until=<µs>   every recorded row with since < last_updated < until, per entity
//                  (epoch µs, oldest first): what a complete import of that window holds
// Usage: node sim-recorder.mjs --entities 300 --days 10 [--seed 1]
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { loadModule } from '../e2e/paths.mjs';

const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '300' },
    days: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
  },
});
const days = Number(values.days);

/**
 * Mean time between two recorded changes, per domain. A home's numeric sensors (power, temperature, humidity,
 * battery, signal) report every few seconds to every few minutes; HA records a row only when the value or an
 * attribute changed, so 5 minutes on average. Motion/door sensors flip a few times an hour, lights and switches
 * a few times a day, climate rows follow its current temperature, people and trackers move a few times a day.
 */
const RATES_MS = {
  sensor: 300_000,
  binary_sensor: 1_200_000,
  climate: 600_000,
  sun: 300_000,
  light: 3_600_000,
  switch: 3_600_000,
  cover: 3_600_000,
  lock: 3_600_000,
  device_tracker: 7_200_000,
  person: 7_200_000,
};
const OTHER_MS = 1_800_000;

const { startHaSim } = await loadModule('tools/ha-sim');
const sim = await startHaSim({
  home: { entities: Number(values.entities), seed: Number(values.seed) },
  // Retention longer than the seeded history, so that no row is purged while the benchmark runs.
  recorder: { purgeKeepDays: days + 1 },
  heartbeatMs: 0,
});
const recorder = sim.recorder;
const untilUs = Date.now() * 1000;
const byRate = new Map();
for (const id of sim.home.entityIds()) {
  const mean = RATES_MS[id.slice(0, id.indexOf('.'))] ?? OTHER_MS;
  byRate.set(mean, [...(byRate.get(mean) ?? []), id]);
}
let rows = 0;
let seed = Number(values.seed);
for (const [meanIntervalMs, entityIds] of byRate)
  rows += recorder.seedHistory({ days, meanIntervalMs, seed: seed++, entityIds });

/** utime + stime of this process, seconds, and its VmHWM in bytes. */
function usage() {
  const cpu = process.cpuUsage();
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: hwm ? Number(hwm[1]) * 1024 : null };
}

const control = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === '/stats') {
    reply(200, {
      answers: recorder.answerStats(),
      commandsByType: sim.stats().commandsByType,
      ...usage(),
    });
    return;
  }
  if (url.pathname === '/expected') {
    const since = Number(url.searchParams.get('since'));
    const until = Number(url.searchParams.get('until'));
    const perEntity = {};
    for (const id of sim.home.entityIds())
      perEntity[id] = recorder
        .history(id)
        .map((row) => row.lastUpdatedMicros)
        .filter((us) => us > since && us < until);
    reply(200, { perEntity });
    return;
  }
  reply(404, { error: 'unknown control path' });
});
control.listen(0, '127.0.0.1', () => {
  const address = control.address();
  process.stdout.write(
    JSON.stringify({
      url: sim.url,
      wsUrl: sim.wsUrl,
      token: sim.token,
      entities: sim.home.entityIds().length,
      rows,
      untilUs,
      control: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    }) + '\n',
  );
});
process.on('SIGTERM', () => {
  control.close();
  void sim.close().then(() => process.exit(0));
});
