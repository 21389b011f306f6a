/**
 * HA's isoformat times (`2026-01-15T10:00:00.123456+00:00`, microseconds optional) as exact epoch-nanosecond
 * strings, the form `startInfluxd().select()` returns `time` in. Exact: no float in between.
 */
export function isoToEpochNs(iso: string): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(\+00:00|Z)$/.exec(iso);
  if (match === null) throw new Error(`not a UTC isoformat time: ${iso}`);
  const seconds = BigInt(Date.parse(`${match[1] ?? ''}Z`) / 1000);
  const micros = BigInt((match[2] ?? '').padEnd(6, '0'));
  return String(seconds * 1_000_000_000n + micros * 1000n);
}

/** The same instant as ISO with microseconds and `+00:00`, as HA's REST API takes it in a path. */
export function epochNsToIso(ns: string): string {
  const value = BigInt(ns);
  const ms = Number(value / 1_000_000n);
  const micros = String((value / 1000n) % 1_000_000n).padStart(6, '0');
  return new Date(ms).toISOString().slice(0, 19) + '.' + micros + '+00:00';
}

/**
 * The microsecond HA derives from a float epoch-seconds timestamp such as history's `lu`: CPython's
 * `datetime.fromtimestamp` (the fraction times 10^6, rounded half to even). `Math.round(lu * 1e6)` is not
 * the same: the product is rounded once more (see docs/ha-history.md#timestamps).
 */
export function microsFromHaSeconds(seconds: number): number {
  const whole = Math.floor(seconds);
  const scaled = (seconds - whole) * 1e6;
  let micros = Math.round(scaled);
  if (micros - scaled === 0.5 && micros % 2 !== 0) micros -= 1;
  return whole * 1e6 + micros;
}
