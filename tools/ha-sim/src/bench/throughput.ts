/**
 * Throughput benchmark: events/s the simulator pushes to one client, beside a bare `ws` server sending
 * the same pre-built coalesced frames in the same run. Build first, then:
 *
 *   npx nx run ha-sim:build && node tools/ha-sim/dist/bench/throughput.js [--events 1000000] [--entities 1000] [--rate 200000] [--rounds 3]
 *
 * 1. closed loop: the simulator emits as fast as the client drains (stream with Infinity);
 * 2. baseline: bare ws server, same frames, same 1 MiB drain pacing;
 * 3. open loop: the simulator emits at a fixed `--rate`; the client must keep up without a slow-client close.
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createHomeModel, homeInternals } from '../model/home-model.js';
import { startHaSim } from '../server/sim.js';
import { startBaselineServer } from './baseline-server.js';
import type { ClientReport } from './client-worker.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    entities: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '3' },
  },
});
const EVENTS = Number(values.events);
const ENTITIES = Number(values.entities);
const RATE = Number(values.rate);
const ROUNDS = Number(values.rounds);
const FRAME_EVENTS = 1000;

function runClient(url: string, token: string, onSubscribed: () => void): Promise<ClientReport> {
  const worker = new Worker(new URL('./client-worker.js', import.meta.url), {
    workerData: { url, token, events: EVENTS },
  });
  return new Promise((resolve, reject) => {
    worker.on('message', (message: ClientReport | 'subscribed') => {
      if (message === 'subscribed') onSubscribed();
      else {
        resolve(message);
        void worker.terminate();
      }
    });
    worker.on('error', reject);
  });
}

async function simulator(
  ratePerSecond: number,
): Promise<{ report: ClientReport; slowCloses: number; frames: number }> {
  // The recorder would keep every one of millions of rows in memory; this measures the WebSocket path.
  const sim = await startHaSim({ home: { entities: ENTITIES, seed: 1 }, heartbeatMs: 0, recorder: false });
  const report = await runClient(sim.wsUrl, sim.token, () => {
    sim.stream({ ratePerSecond, total: EVENTS });
  });
  const stats = sim.stats();
  await sim.close();
  return { report, slowCloses: stats.slowClientCloses, frames: stats.framesSent };
}

/** The same frames the simulator sends (its events, subscription id, 1000 per array), as ready bytes. */
function prebuiltFrames(): Buffer[] {
  const home = createHomeModel({ entities: ENTITIES, seed: 1 });
  const messages: string[] = [];
  homeInternals(home).listen((event) => messages.push(event.messagePrefix + ',"id":2}'));
  const wanted = Math.ceil(Math.min(EVENTS, 100_000) / FRAME_EVENTS) * FRAME_EVENTS;
  while (messages.length < wanted) home.randomChanges(wanted - messages.length);
  const frames: Buffer[] = [];
  for (let at = 0; at + FRAME_EVENTS <= wanted; at += FRAME_EVENTS) {
    // Messages are wire text (UTF-8 bytes as latin1), as the simulator's writer holds them.
    frames.push(Buffer.from('[' + messages.slice(at, at + FRAME_EVENTS).join(',') + ']', 'latin1'));
  }
  return frames;
}

async function baseline(): Promise<ClientReport> {
  const frames = prebuiltFrames();
  const server = await startBaselineServer(frames, EVENTS, FRAME_EVENTS);
  const report = await runClient(server.url, 'baseline', () => undefined);
  await server.close();
  return report;
}

const rate = (report: ClientReport): number =>
  report.elapsedMs > 0 ? (report.received / report.elapsedMs) * 1000 : 0;
const fmt = (value: number): string => Math.round(value).toLocaleString('en-US');

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

// The machine is shared: each phase runs ROUNDS times, interleaved, and medians are reported.
const closedRates: number[] = [];
const baseRates: number[] = [];
const openRates: number[] = [];
let bytesPerEvent = 0;
let openCloses = 0;
let openCode: number | null = null;
for (let round = 0; round < ROUNDS; round++) {
  const closed = await simulator(Number.POSITIVE_INFINITY);
  closedRates.push(rate(closed.report));
  bytesPerEvent = closed.report.bytes / closed.report.received;
  baseRates.push(rate(await baseline()));
  const open = await simulator(RATE);
  openRates.push(rate(open.report));
  openCloses += open.slowCloses;
  openCode ??= open.report.closeCode;
}
const each = (values: number[]): string => values.map(fmt).join(', ');

console.log(
  `ha-sim throughput: ${fmt(EVENTS)} state_changed events per run (${bytesPerEvent.toFixed(0)} B each), ${fmt(ENTITIES)} entities, one client in a worker thread, ${ROUNDS} rounds, medians`,
);
console.log(`  simulator, closed loop : ${fmt(median(closedRates))} events/s  (${each(closedRates)})`);
console.log(`  bare ws, same frames   : ${fmt(median(baseRates))} events/s  (${each(baseRates)})`);
console.log(`  ratio simulator/bare   : ${(median(closedRates) / median(baseRates)).toFixed(2)}`);
console.log(
  `  simulator at ${fmt(RATE)}/s : ${fmt(median(openRates))} events/s received  (${each(openRates)}), slow-client closes ${openCloses}, close code ${String(openCode)}`,
);
