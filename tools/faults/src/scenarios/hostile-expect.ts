/**
 * What InfluxDB must hold for a hostile string, by event-normalizer's documented escaping: string fields keep
 * everything but write a newline or carriage return as the two characters `\n` / `\r` (line protocol forbids
 * them raw), tags do the same for tabs too, and a lone UTF-16 surrogate becomes U+FFFD (it has no UTF-8 form).
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The stored text of a string field. */
export function storedField(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** The stored value of a tag; null when the service leaves the tag out (empty). */
export function storedTag(text: string): string | null {
  if (text === '') return null;
  return storedField(text).replace(/\t/g, '\\t');
}

/** Python's `float(state)` where it is finite, HA's on/off mapping, else null (what the `value` field holds). */
const VALUES: Readonly<Record<string, number | null>> = {
  NaN: null,
  nan: null,
  Infinity: null,
  '-Infinity': null,
  inf: null,
  '1e999': null,
  '-1e999': null,
  '1e308': 1e308,
  '-0': -0,
  '0x10': null,
  ' 21.5 ': 21.5,
  '1_000': 1000,
  '١٢٣': 123,
  '½': null,
  unknown: null,
  unavailable: null,
  on: 1,
  off: 0,
};

export function expectedValue(state: string): number | null {
  const known = VALUES[state];
  if (known !== undefined) return known;
  return /^-?\d+(\.\d+)?$/.test(state) ? Number(state) : null;
}
