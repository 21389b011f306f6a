// Saturation suite: every pipeline, round after round (the service with its defaults, the service with large batches
// and a large queue, naive, minimal, parse-only, then again), so that the load other work puts on the machine falls
// on all of them alike and each round's ratios compare runs made minutes apart; then the writers into a real influxd.
import { startBenchInfluxd, startSim, startSink } from './infra.mjs';
import { BUCKET, PIPELINES } from './pipelines.mjs';
import { saturationRun } from './runs.mjs';

/** The pipelines of one round, in order. */
export const DISCARD_ORDER = ['service', 'serviceLarge', 'naive', 'minimal', 'parseOnly'];
/** Into influxd: the writers a user compares, the service with its defaults. */
export const INFLUXD_ORDER = ['service', 'naive', 'minimal'];

/**
 * Returns `{ discard: { service: [run…], serviceLarge, naive, minimal, parseOnly } | null,
 * influxd: { service, naive, minimal } | null }`,
 * each run as {@link saturationRun} reports it, in round order (run i of each pipeline ran in round i).
 */
export async function throughputSuite({
  pipelines = DISCARD_ORDER,
  runs,
  events,
  influxdRuns,
  entities,
  deflate,
  withDiscard,
  withInfluxd,
  log,
}) {
  const sim = await startSim({ entities, deflate });
  const result = { discard: null, influxd: null };
  try {
    const only = (order) => order.filter((name) => pipelines.includes(name));
    if (withDiscard)
      result.discard = await discardRounds({ sim, order: only(DISCARD_ORDER), runs, events, log });
    if (withInfluxd)
      result.influxd = await influxdRounds({
        sim,
        order: only(INFLUXD_ORDER),
        runs: influxdRuns,
        events,
        log,
      });
  } finally {
    await sim.stop();
  }
  return result;
}

async function discardRounds({ sim, order, runs, events, log }) {
  const result = Object.fromEntries(order.map((name) => [name, []]));
  const discard = await startSink();
  try {
    for (let round = 1; round <= runs; round++) {
      for (const name of order) {
        const run = await saturationRun({ pipeline: PIPELINES[name], sim, sink: discard, total: events });
        result[name].push(run);
        log(`saturation → discard, round ${round}/${runs}, ${name}: ${describe(run)}`);
      }
    }
  } finally {
    await discard.stop();
  }
  return result;
}

async function influxdRounds({ sim, order, runs, events, log }) {
  const influxd = await startBenchInfluxd(BUCKET);
  const relay = await startSink(influxd.url);
  const result = Object.fromEntries(order.map((name) => [name, []]));
  try {
    for (let round = 1; round <= runs; round++) {
      for (const name of order) {
        // A database per run, so that the points each pipeline left in InfluxDB can be counted. The process has
        // stopped (and flushed what it held) when the run returns.
        const database = `${BUCKET}_${name}_${round}`;
        await influxd.query(`CREATE DATABASE ${database}`);
        const run = await saturationRun({
          pipeline: PIPELINES[name],
          sim,
          sink: relay,
          total: events,
          bucket: database,
        });
        const rows = await influxd.query('SELECT count(state) FROM home_assistant_events', database);
        run.storedInInfluxd = rows.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
        result[name].push(run);
        log(
          `saturation → influxd, round ${round}/${runs}, ${name}: ${describe(run)}, ${run.storedInInfluxd} stored`,
        );
      }
    }
  } finally {
    await relay.stop();
    await influxd.dispose();
  }
  return result;
}

function describe(run) {
  const queue =
    run.maxQueuedInMemory === undefined
      ? ''
      : `, queued ≤ ${run.maxQueuedInMemory.toLocaleString('en')} in memory, ` +
        `${run.maxSpooled.toLocaleString('en')} spooled`;
  return (
    `${Math.round(run.eventsPerSecond).toLocaleString('en')} events/s, ` +
    `${run.cpuSecondsPer100k.toFixed(2)} CPU-s/100k (busy ${Math.round(run.busyShare * 100)}%, ` +
    `waited ${Math.round(run.cpuWaitShare * 100)}%; simulator ${Math.round(run.simBusyShare * 100)}%, ` +
    `${Math.round(run.simCpuWaitShare * 100)}%), peak RSS ${run.peakRssMb.toFixed(0)} MB${queue}, ` +
    `${run.written.toLocaleString('en')}/${run.events.toLocaleString('en')} written`
  );
}
