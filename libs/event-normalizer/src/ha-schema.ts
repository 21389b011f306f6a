/**
 * The `ha` point: exactly what HA's own influxdb integration writes (`event_to_json` in
 * `components/influxdb/__init__.py`), so Grafana queries written against it keep working. The algorithm is
 * transcribed step by step, including its quirks (the `key_` rename, `_str` plus digit salvage, dropping
 * non-finite numbers); Python's `float()` and `str()` are reproduced in `python-float.ts`/`python-str.ts`.
 * Two deliberate differences: a NaN/±Infinity state `value` is left out (HA sends it and InfluxDB rejects the
 * whole batch), and keys InfluxDB refuses (`time`) are left out instead of losing the point.
 */
import { haAttributeStr } from './ha-attribute-str.js';
import { createEntityConfigResolver, type HaSchemaOptions } from './ha-config.js';
import { invalidOptionMessage } from '@homeiq/runtime';
import { formatEntries, type FormatLineOptions } from './line-format.js';
import { EventNormalizerOptionsError } from './options.js';
import { createTimestampFormatter } from './number-text.js';
import { pythonFloat } from './python-float.js';
import { digitTailNumber, pythonStr } from './python-str.js';
import { haStateAsNumber, STATE_UNAVAILABLE, STATE_UNKNOWN } from './state-value.js';
import type { NormalizedEvent, Rejection } from './types.js';
import { reject } from './types.js';

/** Python `float(value)` of a JSON value; `undefined` where Python raises TypeError/ValueError. */
function pythonFloatOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return pythonFloat(value);
  return undefined;
}

/** Returns the `ha` schema encoder. */
export function createHaEncoder(
  options: HaSchemaOptions,
  format: FormatLineOptions,
): (event: NormalizedEvent) => string | Rejection {
  const measurementAttr = options.measurementAttr ?? 'unit_of_measurement';
  const defaultMeasurement = options.defaultMeasurement ?? '';
  const overrideMeasurement = options.overrideMeasurement ?? '';
  const staticTags = Object.entries(options.tags ?? {});
  const tagsAttributes = new Set(options.tagsAttributes ?? []);
  const entityConfig = createEntityConfigResolver(options);
  const timestamp = createTimestampFormatter(format.precision ?? 'ns');
  // A JavaScript caller may pass anything.
  const apiVersion: unknown = options.apiVersion;
  if (apiVersion !== undefined && apiVersion !== '1' && apiVersion !== '2')
    throw new EventNormalizerOptionsError(invalidOptionMessage('ha.apiVersion', "'1' or '2'", apiVersion));
  // HA's v1 client doubles every backslash in names (`_escape_tag`); InfluxDB stores what it was sent.
  const name = options.apiVersion === '2' ? (s: string) => s : doubleBackslashes;

  return function encode(event: NormalizedEvent): string | Rejection {
    const state = event.state;
    if (state === null || state === STATE_UNKNOWN || state === STATE_UNAVAILABLE || state === '') {
      return reject(
        'ha_state_not_written',
        `${event.entityId}: ${state === null ? 'removed' : JSON.stringify(state)}`,
      );
    }
    const attributes = event.attributes;
    const fields = new Map<string, number | string>();
    const asFloat = pythonFloat(state);
    if (asFloat !== undefined) {
      fields.set('value', asFloat);
    } else {
      const asNumber = haStateAsNumber(state);
      fields.set('state', state);
      if (asNumber !== undefined) fields.set('value', asNumber);
    }

    const config = entityConfig(event.entityId, event.domain);
    let includeUom = true;
    let includeDc = true;
    let measurement: unknown = config.overrideMeasurement;
    if (measurement === undefined || measurement === '') {
      if (overrideMeasurement !== '') {
        measurement = overrideMeasurement;
      } else {
        if (measurementAttr === 'entity_id') {
          measurement = event.entityId;
        } else if (measurementAttr === 'domain__device_class') {
          const deviceClass = attributes['device_class'];
          if (deviceClass === undefined || deviceClass === null) {
            measurement = event.domain;
          } else {
            const text = pythonStr(deviceClass);
            if (text === undefined) return reject('attributes_unserializable', 'device_class');
            measurement = `${event.domain}__${text}`;
            includeDc = false;
          }
        } else {
          measurement = attributes[measurementAttr];
        }
        if (measurement === undefined || measurement === null || measurement === '') {
          measurement = defaultMeasurement !== '' ? defaultMeasurement : event.entityId;
        } else {
          includeUom = measurementAttr !== 'unit_of_measurement';
        }
      }
    }

    const tags = new Map<string, string | null>([
      ['domain', event.domain],
      ['entity_id', event.objectId],
    ]);
    for (const attributeKey of Object.keys(attributes)) {
      const value = attributes[attributeKey];
      if (tagsAttributes.has(attributeKey)) {
        // The Python clients write str(value) and skip None.
        const text =
          value === null || value === undefined ? null : haAttributeStr(event.domain, attributeKey, value);
        if (text === undefined) return reject('attributes_unserializable', attributeKey);
        tags.set(name(attributeKey), text === null ? null : name(text));
        continue;
      }
      if (
        (attributeKey === 'unit_of_measurement' && !includeUom) ||
        (attributeKey === 'device_class' && !includeDc) ||
        config.ignore.has(attributeKey)
      ) {
        continue;
      }
      const fieldKey = name(attributeKey);
      const key = fields.has(fieldKey) ? fieldKey + '_' : fieldKey;
      const number = pythonFloatOf(value);
      if (number !== undefined) {
        fields.set(key, number);
      } else {
        const text = haAttributeStr(event.domain, attributeKey, value);
        if (text === undefined) return reject('attributes_unserializable', attributeKey);
        fields.set(key + '_str', text);
        const salvaged = digitTailNumber(text);
        if (salvaged !== undefined) fields.set(key, salvaged);
      }
      const written = fields.get(key);
      if (typeof written === 'number' && !Number.isFinite(written)) fields.delete(key);
    }
    for (const [key, value] of staticTags) tags.set(name(key), name(value));

    const measurementText = typeof measurement === 'string' ? measurement : pythonStr(measurement);
    if (measurementText === undefined) return reject('attributes_unserializable', 'measurement attribute');
    const result = formatEntries(
      name(measurementText),
      [...tags],
      [...fields],
      timestamp(event.timeFiredUs),
      format,
    );
    return result.ok ? result.line : result;
  };
}

function doubleBackslashes(s: string): string {
  return s.includes('\\') ? s.replaceAll('\\', '\\\\') : s;
}
