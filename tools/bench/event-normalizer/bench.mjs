#!/usr/bin/env node
// Benchmark of @homeiq/event-normalizer on realistic HA state_changed events, one core.
//
//   npx nx run event-normalizer:build && npx nx run ha-sim:build
//   node tools/bench/event-normalizer/bench.mjs [--events 20000] [--rounds 15] [--schema homeiq|ha]
//
// Events come from the simulator's home model (@homeiq/ha-sim `createHomeModel`: a seeded 400-entity home,
// ~1.1 KB per event as HA serializes it); registry enrichment uses the same home's registries. All phases run
// in this process over the same events, after a warm-up, and report the median of `rounds` passes:
//   1. JSON.parse alone of the raw frames (the floor every consumer pays);
//   2. normalize + encode with this library (`process`), the hot path, on the parsed frames with their envelope
//      converted to ha-client's camelCase `HaEvent` beforehand (the client does that at the edge; not timed);
//   3. the same lines produced with the official `Point` API of @influxdata/influxdb-client from the same
//      normalized events (normalize + Point + toLineProtocol), checked line for line against ours.
//   4. phases 2 and 3 again with every 1000 lines joined by '\n', as a writer does (V8 builds lines as ropes
//      and pays for flattening them there).
import { createEventNormalizer } from '@homeiq/event-normalizer';
import { createHomeModel } from '@homeiq/ha-sim';
import { Point } from '@influxdata/influxdb-client';
import { toHaEvent } from './ha-event.mjs';

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const EVENTS = Number(args.get('events') ?? 20000);
const ROUNDS = Number(args.get('rounds') ?? 15);
const SCHEMA = args.get('schema') ?? 'homeiq';

// --- realistic events from the simulator's home model ------------------------------------------------------
let nowMs = 1736935500000;
const home = createHomeModel({ entities: 400, seed: 42, now: () => (nowMs += 0.37) });
const frames = [];
home.onEvent((event) => {
  if (event.event_type === 'state_changed') frames.push(JSON.stringify(event));
});
while (frames.length < EVENTS) home.randomChanges(1000);
frames.length = EVENTS;
const bytes = frames.reduce((sum, frame) => sum + frame.length, 0);

// The registry lookup as registry-discovery provides it: each entity's context joined once and kept, so a
// lookup is one Map.get (tools/bench/registry times discovery's own lookup against a bare Map.get).
const contexts = new Map(
  home.entities.map((e) => [e.entity_id, Object.freeze(home.entityContext(e.entity_id))]),
);
const registry = { lookup: (id) => contexts.get(id) };

const normalizer = createEventNormalizer({ registry, schema: SCHEMA });
const parsed = frames.map((frame) => toHaEvent(JSON.parse(frame)));

// --- the official client, producing the homeiq lines -------------------------------------------------------
function pointLine(event) {
  const p = new Point('home_assistant_events');
  if (event.areaName) p.tag('area', event.areaName);
  if (event.areaId) p.tag('area_id', event.areaId);
  if (event.deviceClass) p.tag('device_class', event.deviceClass);
  if (event.deviceId) p.tag('device_id', event.deviceId);
  p.tag('domain', event.domain);
  if (event.entityCategory) p.tag('entity_category', event.entityCategory);
  p.tag('entity_id', event.entityId);
  if (event.platform) p.tag('platform', event.platform);
  if (event.unitOfMeasurement) p.tag('unit_of_measurement', event.unitOfMeasurement);
  p.stringField('attributes', JSON.stringify(event.attributes));
  if (event.context) {
    p.stringField('context_id', event.context.id);
    p.stringField('context_parent_id', event.context.parentId);
    p.stringField('context_user_id', event.context.userId);
  }
  if (event.durationInPreviousStateSeconds !== null)
    p.floatField('duration_in_state_seconds', event.durationInPreviousStateSeconds);
  p.stringField('friendly_name', event.friendlyName);
  p.stringField('previous_state', event.previousState);
  p.stringField('state', event.state ?? '<removed>');
  if (event.value !== null) p.floatField('value', event.value);
  p.timestamp(`${event.timeFiredUs}000`);
  return p.toLineProtocol();
}

// --- phases -------------------------------------------------------------------------------------------------
let sink = 0; // consumed results, so no phase can be optimized away
function flush(batch) {
  sink += batch.join('\n').length;
  batch.length = 0;
}
const phases = {
  'JSON.parse alone': () => {
    for (let i = 0; i < frames.length; i++) sink += JSON.parse(frames[i]).time_fired.length;
  },
  'normalize + encode (this library)': () => {
    for (let i = 0; i < parsed.length; i++) {
      const result = normalizer.process(parsed[i]);
      if (result.ok) sink += result.line.length;
    }
  },
  'normalize + official Point API': () => {
    for (let i = 0; i < parsed.length; i++) {
      const result = normalizer.normalize(parsed[i]);
      if (result.ok) sink += pointLine(result.event).length;
    }
  },
  // What a writer adds: lines wait in a batch and are joined into one body (V8 flattens the string ropes).
  'this library + batch join': () => {
    const batch = [];
    for (let i = 0; i < parsed.length; i++) {
      const result = normalizer.process(parsed[i]);
      if (result.ok) batch.push(result.line);
      if (batch.length === 1000) flush(batch);
    }
    flush(batch);
  },
  'official Point API + batch join': () => {
    const batch = [];
    for (let i = 0; i < parsed.length; i++) {
      const result = normalizer.normalize(parsed[i]);
      if (result.ok) batch.push(pointLine(result.event));
      if (batch.length === 1000) flush(batch);
    }
    flush(batch);
  },
};
if (SCHEMA !== 'homeiq') {
  delete phases['normalize + official Point API'];
  delete phases['official Point API + batch join'];
}

// One census pass with a fresh normalizer: what happens to these events, and are the lines the client's?
const census = createEventNormalizer({ registry, schema: SCHEMA });
let mismatches = 0;
for (const event of parsed) {
  const ours = census.process(event);
  if (SCHEMA === 'homeiq' && ours.ok && ours.line !== pointLine(ours.event)) mismatches++;
}
if (mismatches > 0) throw new Error(`${mismatches} lines differ from the official client's`);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
// CPU time of this process (user + system), so other work on a shared machine does not count against a
// phase; wall time is printed too.
function cpuSeconds() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
const results = {};
const wall = {};
for (const [name, run] of Object.entries(phases)) {
  for (let i = 0; i < 3; i++) run(); // warm-up
  const cpu = [];
  const elapsed = [];
  for (let r = 0; r < ROUNDS; r++) {
    const startCpu = cpuSeconds();
    const start = process.hrtime.bigint();
    run();
    elapsed.push(Number(process.hrtime.bigint() - start) / 1e9);
    cpu.push(cpuSeconds() - startCpu);
  }
  results[name] = EVENTS / median(cpu);
  wall[name] = EVENTS / median(elapsed);
}

const stats = census.stats();
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(
  `node ${process.version}, ${EVENTS} events (avg ${Math.round(bytes / EVENTS)} B), schema ${SCHEMA}, median of ${ROUNDS} rounds`,
);
const rejected = Object.fromEntries(Object.entries(stats.rejected).filter(([, v]) => v > 0));
const same = SCHEMA === 'homeiq' ? "; every line identical to the official client's" : '';
console.log(`one pass: ${stats.written} lines, rejected ${JSON.stringify(rejected)}${same}`);
const ours = results['normalize + encode (this library)'];
console.log(`${'phase'.padEnd(36)} ${'events/CPU-s'.padStart(12)}  ${'(wall)'.padStart(12)}  ratio to ours`);
for (const [name, perSecond] of Object.entries(results)) {
  console.log(
    `${name.padEnd(36)} ${fmt(perSecond).padStart(12)}  ${fmt(wall[name]).padStart(12)}  ${(perSecond / ours).toFixed(2)}x`,
  );
}
if (results['normalize + official Point API']) {
  const point = results['normalize + official Point API'];
  const joined = results['this library + batch join'] / results['official Point API + batch join'];
  console.log(
    `ours vs official Point API: ${(ours / point).toFixed(2)}x faster (${joined.toFixed(2)}x with the batch join)`,
  );
}
console.log(`ours vs JSON.parse alone: ${(ours / results['JSON.parse alone']).toFixed(2)}x its rate`);
if (sink === 0) console.log('');
