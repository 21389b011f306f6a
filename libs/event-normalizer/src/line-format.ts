/**
 * A general line-protocol formatter for one point, with the same escaping as the schema encoders. It is the
 * piece compared against `Point.toLineProtocol()` in the property tests, and what the `ha` schema uses.
 */
import {
  escapeKey,
  escapeMeasurement,
  exceedsUtf8,
  fixBackslashes,
  quoteString,
  utf8Length,
} from './line-escape.js';
import type { EncodeResult, OmitReason, Precision } from './types.js';
import { reject } from './types.js';

/** InfluxDB's `MaxKeyLength`: measurement + tags, and that plus 4 plus each field key, in bytes. */
export const MAX_SERIES_KEY_BYTES = 65535;

/** One point to format. `null`/`undefined` values are left out, as are empty tag values. */
export interface LinePoint {
  readonly measurement: string;
  readonly tags?: Readonly<Record<string, string | null | undefined>>;
  /**
   * Numbers are written as floats (InfluxDB's type for them); non-finite numbers are left out. A `bigint` is written
   * as an integer field (`12i`): InfluxDB refuses a float into a field that holds integers (a field type conflict).
   */
  readonly fields: Readonly<Record<string, number | bigint | string | boolean | null | undefined>>;
  /** Epoch microseconds; without it InfluxDB assigns the arrival time. */
  readonly timestampUs?: number;
}

/** Options of {@link formatLine}. */
export interface FormatLineOptions {
  /** @default 'ns' */
  readonly precision?: Precision;
  /** Largest string field value in UTF-8 bytes. @default 65536 */
  readonly maxStringFieldBytes?: number;
  /** What to do with a longer string field. @default 'omit' */
  readonly oversizeStringField?: 'omit' | 'reject';
  /** Called for each field or tag left out of the line. */
  readonly onOmit?: (reason: OmitReason, key: string) => void;
}

type FieldValue = number | bigint | string | boolean | null | undefined;

/** Formats one point as a line (no trailing newline), or rejects it with a reason. Never throws. */
export function formatLine(point: LinePoint, options: FormatLineOptions = {}): EncodeResult {
  return formatEntries(
    point.measurement,
    Object.entries(point.tags ?? {}),
    Object.entries(point.fields),
    point.timestampUs === undefined
      ? undefined
      : formatTimestamp(point.timestampUs, options.precision ?? 'ns'),
    options,
  );
}

/**
 * {@link formatLine} over key/value pairs (callers holding Maps skip building objects) with the timestamp
 * already formatted at the precision.
 */
export function formatEntries(
  measurement: string,
  tagEntries: [string, string | null | undefined][],
  fieldEntries: [string, FieldValue][],
  timestamp: string | undefined,
  options: FormatLineOptions,
): EncodeResult {
  const maxBytes = options.maxStringFieldBytes ?? 65536;
  const onOmit = options.onOmit;
  if (measurement === '') return reject('no_fields', 'empty measurement');
  let key = escapeMeasurement(measurement);
  for (const [name, value] of sortedEntries(tagEntries, onOmit)) {
    if (value === null || value === undefined || value === '') continue;
    key += ',' + escapeKey(name) + '=' + escapeKey(value);
  }
  let fields = '';
  let longestFieldKey = 0;
  for (const [name, value] of sortedEntries(fieldEntries, onOmit)) {
    let text: string;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        onOmit?.('non_finite_number', name);
        continue;
      }
      text = formatFloat(value);
    } else if (typeof value === 'string') {
      if (exceedsUtf8(value, maxBytes)) {
        if (options.oversizeStringField === 'reject') {
          return reject('string_field_too_large', `field ${JSON.stringify(name)}`);
        }
        onOmit?.('string_field_too_large', name);
        continue;
      }
      text = quoteString(value);
    } else if (typeof value === 'boolean') {
      text = value ? 'T' : 'F';
    } else if (typeof value === 'bigint') {
      text = `${value}i`;
    } else {
      continue;
    }
    const escapedName = escapeKey(name);
    longestFieldKey = Math.max(longestFieldKey, utf8Length(escapedName));
    fields += (fields === '' ? '' : ',') + escapedName + '=' + text;
  }
  if (fields === '') return reject('no_fields', 'no field left to write');
  if (utf8Length(key) + 4 + longestFieldKey > MAX_SERIES_KEY_BYTES) {
    return reject('series_key_too_long', `measurement ${JSON.stringify(measurement)}`);
  }
  const time = timestamp === undefined ? '' : ' ' + timestamp;
  return { ok: true, line: key + ' ' + fields + time };
}

/**
 * Entries sorted by key (UTF-16 order, as the official client sorts), without keys InfluxDB refuses: empty
 * ones and `time`. Sorting uses the backslash-fixed names (what the client would be given); when two keys
 * become one name after that fix, the first is kept.
 */
function sortedEntries<T>(
  pairs: [string, T][],
  onOmit: ((reason: OmitReason, key: string) => void) | undefined,
): [string, T][] {
  const entries = pairs.map(([k, v]): [string, T, string] => [
    k,
    v,
    k.includes('\\') ? fixBackslashes(k, true) : k,
  ]);
  entries.sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
  const out: [string, T][] = [];
  let previous: string | undefined;
  for (const [k, v, normalized] of entries) {
    if (k === '' || k === 'time') {
      if (v !== null && v !== undefined) onOmit?.('invalid_key', k);
      continue;
    }
    if (normalized === previous) {
      onOmit?.('duplicate_key', k);
      continue;
    }
    previous = normalized;
    out.push([k, v]);
  }
  return out;
}

/** Shortest round-trip decimal (what `String` gives), which InfluxDB parses back to the same float64. */
export function formatFloat(value: number): string {
  return String(value);
}

/** Epoch microseconds at the line's precision (floor for coarser ones, as InfluxDB truncates). */
export function formatTimestamp(us: number, precision: Precision): string {
  switch (precision) {
    case 'ns':
      return us === 0 ? '0' : `${us}000`;
    case 'us':
      return String(us);
    case 'ms':
      return String(Math.floor(us / 1000));
    case 's':
      return String(Math.floor(us / 1_000_000));
  }
}
