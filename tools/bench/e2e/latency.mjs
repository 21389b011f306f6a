// Fixed-rate suite: the writers at each rate, round after round, latency measured at the discard endpoint
// (time_fired → write acknowledged) with the process's RSS sampled during the run.
import { startSim, startSink } from './infra.mjs';
import { PIPELINES } from './pipelines.mjs';
import { fixedRateRun } from './runs.mjs';

/** Returns `{ [rate]: { service: [run…], naive: [run…] } }`, each run as {@link fixedRateRun} reports it. */
export async function latencySuite({ runs, rates, seconds, entities, deflate, log }) {
  const sim = await startSim({ entities, deflate });
  const sink = await startSink();
  const result = {};
  try {
    for (const rate of rates) {
      result[rate] = { service: [], naive: [] };
      for (let round = 1; round <= runs; round++) {
        for (const name of ['service', 'naive']) {
          const run = await fixedRateRun({ pipeline: PIPELINES[name], sim, sink, rate, seconds });
          result[rate][name].push(run);
          const l = run.latencyMs;
          log(
            `${rate.toLocaleString('en')} events/s, round ${round}/${runs}, ${name}: ` +
              (l ? `p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, ` : 'no writes, ') +
              `max RSS ${run.maxRssMb.toFixed(0)} MB, ${run.written}/${run.events} written`,
          );
        }
      }
    }
  } finally {
    await sink.stop();
    await sim.stop();
  }
  return result;
}
