// CPU and size of gzipped write bodies by zlib level, on realistic lines: the simulator's home model
// (@homeiq/ha-sim, a seeded 1,000-entity home) through @homeiq/event-normalizer's default `homeiq` schema.
// Level 6 is zlib's default, the one @influxdata/influxdb-client's transport uses; @homeiq/influx-sink
// defaults to 3. One process, synchronous gzip (the same work libuv's pool does), median of the rounds.
//
//   npx nx run-many -t build -p event-normalizer ha-sim && node tools/bench/sink/gzip-levels.mjs [--rounds 9]
import { createEventNormalizer } from '@homeiq/event-normalizer';
import { createHomeModel } from '@homeiq/ha-sim';
import { gzipSync } from 'node:zlib';
import { toHaEvent } from '../event-normalizer/ha-event.mjs';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg === -1 ? 9 : Number(process.argv[roundsArg + 1]);
const LEVELS = [1, 3, 6, 9];
const BASELINE = 6;

let nowMs = 1736935500000;
const home = createHomeModel({ entities: 1000, seed: 42, now: () => (nowMs += 0.37) });
const events = [];
home.onEvent((event) => {
  // The normalizer takes ha-client's camelCase HaEvent: convert the wire envelope once, as the client does.
  if (event.event_type === 'state_changed') events.push(toHaEvent(JSON.parse(JSON.stringify(event))));
});
while (events.length < 20_000) home.randomChanges(1000);
const normalizer = createEventNormalizer({});
const lines = [];
for (const event of events) {
  const { line } = normalizer.process(event);
  if (line !== undefined) lines.push(line);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const batch of [100, 1000]) {
  const bodies = [];
  for (let i = 0; i + batch <= lines.length; i += batch) {
    bodies.push(Buffer.from(lines.slice(i, i + batch).join('\n')));
  }
  const rawBytes = bodies.reduce((sum, body) => sum + body.length, 0);
  const lineCount = bodies.length * batch;
  const results = new Map();
  for (let round = -1; round < ROUNDS; round++) {
    // Levels interleave within a round, so a slower moment of the machine hits them all alike.
    for (const level of LEVELS) {
      let out = 0;
      const started = process.hrtime.bigint();
      for (const body of bodies) out += gzipSync(body, { level }).length;
      const usPerLine = Number(process.hrtime.bigint() - started) / 1000 / lineCount;
      if (round < 0) continue; // warm-up
      const entry = results.get(level) ?? { us: [], ratio: rawBytes / out };
      entry.us.push(usPerLine);
      results.set(level, entry);
    }
  }
  const base = median(results.get(BASELINE).us);
  console.log(
    `\nbatches of ${batch} lines (${(rawBytes / lineCount).toFixed(0)} B/line), median of ${ROUNDS} rounds`,
  );
  console.log('| level | µs per line | CPU vs level 6 | compression | body vs level 6 |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const level of LEVELS) {
    const { us, ratio } = results.get(level);
    const cpu = median(us) / base;
    const size = results.get(BASELINE).ratio / ratio;
    console.log(
      `| ${level} | ${median(us).toFixed(2)} | ${cpu.toFixed(2)}× | ${ratio.toFixed(1)}× | ${size.toFixed(2)}× |`,
    );
  }
}
