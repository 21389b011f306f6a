// One measured run of a pipeline: a fresh process, one stream from the simulator, figures from the sink's
// timeline (writers) or the client's own report (parse-only), CPU time and memory from /proc.
import { performance } from 'node:perf_hooks';
import { cpuSeconds, memoryMb, runQueueWaitSeconds, sampleRss, sleep } from './processes.mjs';
import { steadyRate, STREAM_GAP_MS } from './stats.mjs';

/** Waits until the sink has seen `expected` lines, or nothing new for `quietMs`. */
async function settle(sink, expected, quietMs) {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const { lines } = await sink.stats();
    if (lines >= expected) return;
    if (lines !== last) {
      last = lines;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await sleep(100);
  }
}

/** Epoch ms as the sink and the parse-only client read it. */
const now = () => performance.timeOrigin + performance.now();

/**
 * Saturation: the simulator streams `total` events in closed loop (as fast as the pipeline reads them).
 * Returns `eventsPerSecond`, from the start of the stream to the last acknowledged write (parse-only: to the last
 * parsed event), so that a pipeline that writes late is charged for it; `eventsPerSecondFirstToLast`, from the first
 * to the last acknowledged write (parse-only: parsed event), as issues 8 and 20 first measured; CPU seconds per
 * 100,000 events, the process's peak RSS, `busyShare` (CPU-seconds per second from the start to the last write
 * or parsed event) and `cpuWaitShare` (run-queue wait per second, likewise), all taken before the process is
 * stopped; then `written`, the lines the sink acknowledged once it has stopped (a writer flushes what it held on
 * SIGTERM, so every event it took in should be there: `writtenBeforeStop` is the count before the stop).
 */
export async function saturationRun({ pipeline, sim, sink, total, nodeArgs = [], env = {}, bucket }) {
  await sink?.reset(false);
  const proc = await pipeline.start({ sim, sinkUrl: sink?.url, total, nodeArgs, env, bucket });
  let result;
  try {
    const cpuBefore = cpuSeconds(proc.pid);
    const waitBefore = runQueueWaitSeconds(proc.pid);
    const simBefore = { cpu: cpuSeconds(sim.pid), wait: runQueueWaitSeconds(sim.pid) };
    const queue = proc.health ? watchQueue(proc) : undefined;
    const startMs = now();
    const streamed = await sim.stream('Infinity', total);
    let rate;
    let rateFromStart;
    let endMs;
    let counted;
    let bytesPerEvent;
    if (pipeline.writes) {
      await settle(sink, streamed.fired, STREAM_GAP_MS * 2);
      const stats = await sink.stats();
      const steady = steadyRate(stats.timeline);
      rate = steady.rate;
      endMs = steady.lastMs;
      rateFromStart = (steady.lines / (endMs - startMs)) * 1000;
      counted = stats.lines;
    } else {
      const report = await proc.done;
      rate = (report.events / (report.lastMs - report.firstMs)) * 1000;
      endMs = report.lastMs;
      rateFromStart = (report.events / (endMs - startMs)) * 1000;
      counted = report.events;
      bytesPerEvent = report.bytes / report.events;
    }
    const cpu = cpuSeconds(proc.pid) - cpuBefore;
    const waited = runQueueWaitSeconds(proc.pid) - waitBefore;
    const simCpu = cpuSeconds(sim.pid) - simBefore.cpu;
    const simWaited = runQueueWaitSeconds(sim.pid) - simBefore.wait;
    const seconds = (endMs - startMs) / 1000;
    const { peak } = memoryMb(proc.pid);
    const backlog = await queue?.stop();
    result = {
      eventsPerSecond: rateFromStart,
      eventsPerSecondFirstToLast: rate,
      events: streamed.fired,
      written: counted,
      cpuSecondsPer100k: (cpu / streamed.fired) * 100_000,
      eventsPerCpuSecond: streamed.fired / cpu,
      peakRssMb: peak,
      // Per second from the stream's start to the last write (what comes after is idle): how much the process was
      // on a CPU, and how long its threads waited for one (behind other load, or each other: they share one CPU).
      busyShare: cpu / seconds,
      cpuWaitShare: waited / seconds,
      // The same for the simulator: near 100% busy, or a long wait, and it set the pace instead of the pipeline.
      simBusyShare: simCpu / seconds,
      simCpuWaitShare: simWaited / seconds,
      ...(bytesPerEvent !== undefined && { bytesPerEvent }),
      ...(backlog && { maxQueuedInMemory: backlog.pending, maxSpooled: backlog.spooled }),
    };
  } finally {
    await proc.stop();
  }
  if (pipeline.writes) {
    result.writtenBeforeStop = result.written;
    result.written = (await sink.stats()).lines;
  }
  return result;
}

/**
 * The service's queue seen through /health every 100 ms (a cheap read): the most points held in memory and in the
 * on-disk spool. A spill at saturation means the sink could not keep up with intake for a while.
 */
function watchQueue(service) {
  const max = { pending: 0, spooled: 0 };
  let polling = Promise.resolve();
  const timer = setInterval(() => {
    polling = service.health().then(
      (body) => {
        max.pending = Math.max(max.pending, body.sink.pending);
        max.spooled = Math.max(max.spooled, body.sink.spooled);
      },
      () => undefined, // A missed sample during shutdown changes nothing.
    );
  }, 100);
  return {
    async stop() {
      clearInterval(timer);
      await polling;
      return max;
    },
  };
}

/**
 * Fixed rate: `rate` events/s for `seconds`. The sink records `ack time − time_fired` of every line while the
 * stream runs (and for a grace period after it, for the batches in flight; a final partial batch that waits for
 * its timeout is not steady-state behaviour and is left out). Also the largest RSS sampled during the run.
 */
export async function fixedRateRun({
  pipeline,
  sim,
  sink,
  rate,
  seconds,
  graceMs = 1500,
  nodeArgs = [],
  env = {},
}) {
  await sink.reset(true);
  const proc = await pipeline.start({ sim, sinkUrl: sink.url, total: rate * seconds, nodeArgs, env });
  try {
    const closesBefore = (await sim.stats()).stats.slowClientCloses;
    const rss = sampleRss(proc.pid, 100);
    const cpuBefore = cpuSeconds(proc.pid);
    const streamed = await sim.stream(rate, rate * seconds);
    await sleep(graceMs);
    const stats = await sink.stats();
    const cpu = cpuSeconds(proc.pid) - cpuBefore;
    const maxRssMb = rss.stop();
    const simStats = await sim.stats();
    return {
      rate,
      events: streamed.fired,
      written: stats.lines,
      latencyMs: stats.latencyMs,
      maxRssMb,
      cpuSecondsPer100k: (cpu / streamed.fired) * 100_000,
      slowClientCloses: simStats.stats.slowClientCloses - closesBefore,
    };
  } finally {
    await proc.stop();
  }
}
