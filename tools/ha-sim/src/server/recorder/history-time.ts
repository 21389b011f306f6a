/**
 * Times as the recorder and the history API handle them.
 *
 * HA stamps a change with `time.time()`, a float with sub-microsecond digits, and derives the state's
 * `last_updated` (and the event's `time_fired`) from it rounded to the microsecond; the recorder stores the
 * float itself (`last_updated_ts`), so history's `lu` is that float, not the microsecond (see
 * docs/ha-history.md#timestamps). The simulator keeps integer microseconds and makes the float up: the
 * microsecond plus a fixed pseudo-random offset within ±0.3 µs, so that rounding it gives the microsecond back.
 */
export function recordedSeconds(micros: number): number {
  const hash = Math.imul((micros % 2_147_483_647) | 0, 2_654_435_761) >>> 0;
  return (micros + ((hash % 601) - 300) / 1000) / 1e6;
}

/** The microsecond HA derives from a float timestamp: CPython `datetime.fromtimestamp` (round half to even). */
export function microsFromSeconds(seconds: number): number {
  const whole = Math.floor(seconds);
  const scaled = (seconds - whole) * 1e6;
  let micros = Math.round(scaled);
  if (micros - scaled === 0.5 && micros % 2 !== 0) micros -= 1;
  return whole * 1e6 + micros;
}

const ISO =
  /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,6})\d*)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/;

/**
 * `dt_util.parse_datetime` then `as_utc` (HA core `util/dt.py`): ISO 8601 with `T` or a space, optional
 * seconds and fraction, `Z` or an offset; without one the time is local, which is UTC here. Epoch µs, or
 * null when HA would not parse it.
 */
export function parseHaDatetime(text: string): number | null {
  const match = ISO.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const date = new Date(ms);
  if (Number.isNaN(ms) || date.getUTCDate() !== Number(d) || date.getUTCHours() !== Number(h)) return null;
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes =
      (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * (zone[0] === '-' ? -1 : 1);
  }
  return (ms - offsetMinutes * 60_000) * 1000 + Number((fraction ?? '').padEnd(6, '0'));
}

/** HA core `core.py` VALID_ENTITY_ID. */
const VALID_ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

export function validEntityId(entityId: string): boolean {
  return VALID_ENTITY_ID.test(entityId);
}
