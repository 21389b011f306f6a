import type { Rig } from './rig.js';

/** One reading of a service's memory and queue. */
export interface Sample {
  readonly atMs: number;
  readonly rssMb: number;
  readonly heapMb: number;
  readonly pending: number;
  readonly spooled: number;
}

/** Samples a service's `/health` at an interval, for RSS over an outage. */
export interface Sampler {
  readonly samples: readonly Sample[];
  /** Readings the service did not answer (it may be busy or restarting): gaps in the series, counted. */
  readonly failures: number;
  stop(): void;
  /** Samples taken in [fromMs, toMs). */
  between(fromMs: number, toMs: number): Sample[];
}

export function startSampler(rig: Rig, intervalMs: number): Sampler {
  const samples: Sample[] = [];
  let failures = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    rig
      .health()
      .then(
        (h) => {
          samples.push({
            atMs: Date.now(),
            rssMb: h.performance.memory_mb,
            heapMb: h.performance.heap_used_mb,
            pending: h.sink.pending,
            spooled: h.sink.spooled,
          });
        },
        () => {
          failures++;
        },
      )
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  return {
    samples,
    get failures() {
      return failures;
    },
    stop: () => {
      clearInterval(timer);
    },
    between: (fromMs, toMs) => samples.filter((s) => s.atMs >= fromMs && s.atMs < toMs),
  };
}

/** Largest RSS of a list of samples (0 for none). */
export function maxRss(samples: readonly Sample[]): number {
  return samples.reduce((max, s) => Math.max(max, s.rssMb), 0);
}
