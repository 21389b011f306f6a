// How the benchmark reports print numbers: '–' for a figure that was not measured (NaN), never "NaN".

/** An integer with thousands separators. */
export const n = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '–');
/** A ratio as `1.23×`. */
export const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');
/** A ratio as a percentage. */
export const pc = (v) => (Number.isFinite(v) ? `${Math.round(v * 100)}%` : '–');
/** Megabytes, whole. */
export const mb = (v) => (Number.isFinite(v) ? v.toFixed(0) : '–');
/** Milliseconds: one decimal below 10. */
export const ms = (v) =>
  !Number.isFinite(v) ? '–' : v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en');
/** `median (min–max)` of a {@link summary} when there was more than one run. */
export const spread = (s, f) => (s.runs > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median));
/** A `written/events` pair (as the summary keeps it) with thousands separators: `499,512 / 500,000`. */
export const counts = (pair) =>
  pair
    .split('/')
    .map((v) => n(Number(v)))
    .join(' / ');
