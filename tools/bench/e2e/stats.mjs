// Small statistics for the benchmark reports: medians with their spread, and the steady part of a write timeline.

/** Median of numbers (NaN for none). */
export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `{ median, min, max, runs }` of the finite values. */
export function summary(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  return {
    median: median(finite),
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN,
    runs: finite.length,
  };
}

/** Largest gap between acknowledged writes that still counts as one stream (a batch timeout flush is not). */
export const STREAM_GAP_MS = 1000;

/**
 * Events per second from the first to the last acknowledged write of a stream, from a sink timeline of
 * `[ackMs, cumulativeLines]`. Writes after a pause longer than {@link STREAM_GAP_MS} are left out: that is the
 * final partial batch waiting for its timeout (or a client's flush interval), not the pipeline's speed.
 * `lines` and `lastMs`: what was acknowledged by that last steady write, and when.
 */
export function steadyRate(timeline) {
  if (timeline.length < 2)
    return {
      rate: Number.NaN,
      lines: timeline[0]?.[1] ?? 0,
      seconds: 0,
      lastMs: timeline[0]?.[0] ?? Number.NaN,
    };
  let last = timeline.length - 1;
  while (last > 0 && timeline[last][0] - timeline[last - 1][0] > STREAM_GAP_MS) last--;
  const [firstMs, firstLines] = timeline[0];
  const [lastMs, lastLines] = timeline[last];
  const seconds = (lastMs - firstMs) / 1000;
  return {
    rate: seconds > 0 ? (lastLines - firstLines) / seconds : Number.NaN,
    lines: lastLines,
    seconds,
    lastMs,
  };
}
