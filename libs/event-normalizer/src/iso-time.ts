/**
 * ISO-8601 → integer epoch microseconds, by hand. `Date` keeps only milliseconds, and HA's timestamps carry
 * microseconds (`2025-01-15T10:05:00.654321+00:00`, or no fraction when it is 0): two events of one entity
 * within a millisecond must stay apart. Pure arithmetic, no `Date`, no allocation.
 */

/** Integers beyond ±2^53 are not exact; ±2^53 µs is about years 1685–2255, inside InfluxDB's ns range. */
export const MAX_EPOCH_US = Number.MAX_SAFE_INTEGER;

/** Parse failures, distinguished so the caller can name the rejection reason. */
export const TIME_INVALID = -1;
export const TIME_OUT_OF_RANGE = -2;

const MIN_LENGTH = 20; // YYYY-MM-DDTHH:MM:SSZ

/** Where {@link parseIsoTime} writes its result, so the hot path allocates nothing. */
export interface TimeSlot {
  /** Epoch microseconds; valid only when `status` is 0. */
  us: number;
  /** 0 when parsed, else {@link TIME_INVALID} or {@link TIME_OUT_OF_RANGE}. */
  status: number;
  /** The last text parsed successfully and its value: a one-entry memo for the caller. */
  memoText: string;
  memoUs: number;
}

/** A fresh slot. */
export function createTimeSlot(): TimeSlot {
  return { us: 0, status: 0, memoText: '', memoUs: 0 };
}

/**
 * Parses `YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}](Z|±HH:MM)`: what Python's `isoformat()` prints for aware
 * datetimes, plus `Z` and the space separator `fromisoformat` accepts. Fraction digits after the sixth are
 * truncated (HA sends microseconds). A time without an offset is refused: it would be ambiguous.
 */
export function parseIsoTime(text: string, out: TimeSlot): void {
  out.status = TIME_INVALID;
  const n = text.length;
  if (n < MIN_LENGTH || n > 40) return;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (
    (year | month | day | hour | minute | second) < 0 ||
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a
  ) {
    return;
  }
  const sep = text.charCodeAt(10);
  if (sep !== 0x54 && sep !== 0x20) return; // 'T' or ' ' (Python's fromisoformat accepts both)
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return;
  if (hour > 23 || minute > 59 || second > 59) return;

  let i = 19;
  let micros = 0;
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    let count = 0;
    for (; i < n; i++, count++) {
      const d = text.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) break;
      if (count < 6) micros = micros * 10 + d;
    }
    if (count === 0 || count > 9) return;
    for (let pad = count; pad < 6; pad++) micros *= 10;
  }

  let offsetSeconds = 0;
  const sign = text.charCodeAt(i);
  if (sign === 0x5a) {
    i++;
  } else if (sign === 0x2b || sign === 0x2d) {
    const oh = digits(text, i + 1, 2);
    const om = digits(text, i + 4, 2);
    if ((oh | om) < 0 || text.charCodeAt(i + 3) !== 0x3a || oh > 23 || om > 59) return;
    offsetSeconds = (oh * 3600 + om * 60) * (sign === 0x2b ? 1 : -1);
    i += 6;
  } else {
    return; // a naive time is ambiguous; HA always sends an offset
  }
  if (i !== n) return;

  const seconds =
    daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  const us = seconds * 1_000_000 + micros;
  if (us > MAX_EPOCH_US || us < -MAX_EPOCH_US) {
    out.status = TIME_OUT_OF_RANGE;
    return;
  }
  out.us = us;
  out.status = 0;
}

/** Parses `count` ASCII digits at `at`; -1 when any is missing or not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (!(d >= 0 && d <= 9)) return -1; // NaN (past the end) fails this too
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
