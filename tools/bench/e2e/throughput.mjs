// Saturation suite: every pipeline, round after round (service, naive, parse-only, then again), so that the load
// other work puts on the machine falls on all of them alike; then the writers into a real influxd.
import { startBenchInfluxd, startSim, startSink } from './infra.mjs';
import { BUCKET, PIPELINES } from './pipelines.mjs';
import { saturationRun } from './runs.mjs';

const ORDER = ['service', 'naive', 'parseOnly'];

/**
 * Returns `{ discard: { service: [run…], naive: […], parseOnly: […] }, influxd: { service, naive } | null }`,
 * each run as {@link saturationRun} reports it, in round order (run i of each pipeline ran in round i).
 */
export async function throughputSuite({ runs, events, influxdRuns, entities, deflate, withInfluxd, log }) {
  const sim = await startSim({ entities, deflate });
  const result = { discard: { service: [], naive: [], parseOnly: [] }, influxd: null };
  try {
    const discard = await startSink();
    try {
      for (let round = 1; round <= runs; round++) {
        for (const name of ORDER) {
          const run = await saturationRun({ pipeline: PIPELINES[name], sim, sink: discard, total: events });
          result.discard[name].push(run);
          log(`saturation → discard, round ${round}/${runs}, ${name}: ${describe(run)}`);
        }
      }
    } finally {
      await discard.stop();
    }
    if (withInfluxd) result.influxd = await influxdRounds({ sim, runs: influxdRuns, events, log });
  } finally {
    await sim.stop();
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
        const run = await saturationRun({ pipeline: PIPELINES[name], sim, sink: relay, total: events });
        result[name].push(run);
        log(`saturation → influxd, round ${round}/${runs}, ${name}: ${describe(run)}`);
      }
    }
    const rows = await influxd.query('SELECT count(state) FROM home_assistant_events', BUCKET);
    result.rowsInInfluxd = rows.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
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
