// Saturation suite: every pipeline, round after round (service, naive, parse-only, then again), so that the load
// other work puts on the machine falls on all of them alike; then the writers into a real influxd.
import { startBenchInfluxd, startSim, startSink } from './infra.mjs';
import { BUCKET, PIPELINES } from './pipelines.mjs';
import { saturationRun } from './runs.mjs';

const ORDER = ['service', 'naive', 'parseOnly'];

/**
 * Returns `{ discard: { service: [run…], naive: […], parseOnly: […] } | null, influxd: { service, naive } | null }`,
 * each run as {@link saturationRun} reports it, in round order (run i of each pipeline ran in round i).
 */
export async function throughputSuite({
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
    if (withDiscard) result.discard = await discardRounds({ sim, runs, events, log });
    if (withInfluxd) result.influxd = await influxdRounds({ sim, runs: influxdRuns, events, log });
  } finally {
    await sim.stop();
  }
  return result;
}

async function discardRounds({ sim, runs, events, log }) {
  const result = { service: [], naive: [], parseOnly: [] };
  const discard = await startSink();
  try {
    for (let round = 1; round <= runs; round++) {
      for (const name of ORDER) {
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

async function influxdRounds({ sim, runs, events, log }) {
  const influxd = await startBenchInfluxd(BUCKET);
  const relay = await startSink(influxd.url);
  const result = { service: [], naive: [] };
  try {
    for (let round = 1; round <= runs; round++) {
      for (const name of ['service', 'naive']) {
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
  return (
    `${Math.round(run.eventsPerSecond).toLocaleString('en')} events/s, ` +
    `${run.cpuSecondsPer100k.toFixed(2)} CPU-s/100k, peak RSS ${run.peakRssMb.toFixed(0)} MB, ` +
    `${run.written.toLocaleString('en')}/${run.events.toLocaleString('en')} written`
  );
}
