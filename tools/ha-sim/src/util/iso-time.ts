/**
 * Timestamps as Python's `datetime.isoformat()` prints aware UTC datetimes, which is what HA sends:
 * `2025-01-15T10:05:00.654321+00:00`, and without the fraction when microseconds are 0
 * (`2025-01-15T10:05:00+00:00`). The model keeps time as integer microseconds since the epoch.
 */
let cachedSecond = Number.NaN;
let cachedPrefix = '';
// A change formats the same instant for its state and its event: remember the last one.
let lastMicros = Number.NaN;
let lastText = '';

/** Formats epoch microseconds (an integer) the way HA's `isoformat()` does. */
export function isoFromMicros(epochMicros: number): string {
  if (epochMicros === lastMicros) return lastText;
  lastMicros = epochMicros;
  lastText = format(epochMicros);
  return lastText;
}

function format(epochMicros: number): string {
  const second = Math.floor(epochMicros / 1_000_000);
  const micros = epochMicros - second * 1_000_000;
  if (second !== cachedSecond) {
    cachedSecond = second;
    // toISOString gives `YYYY-MM-DDTHH:MM:SS.mmmZ`; the first 19 chars are the part Python prints too.
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  if (micros === 0) return cachedPrefix + '+00:00';
  return cachedPrefix + '.' + String(micros).padStart(6, '0') + '+00:00';
}

/** Epoch seconds as a float, as HA's `datetime.timestamp()` gives it (compressed states, registries). */
export function secondsFromMicros(epochMicros: number): number {
  return epochMicros / 1_000_000;
}
