/**
 * The `homeiq` series key (measurement + sorted tags), cached per entity: an entity's tags change only when
 * the registry, its unit or its device class does, so the escaped key is built once (as one flat string),
 * not per event.
 */
import { escapeKey, exceedsUtf8 } from './line-escape.js';
import { MAX_SERIES_KEY_BYTES } from './line-format.js';
import type { NormalizedEvent } from './types.js';

/** The longest `homeiq` field key (`duration_in_state_seconds`), for the series-key length bound. */
const LONGEST_FIELD_KEY = 25;

/** The tag values a series key is made of, and the key (`undefined` when InfluxDB could not hold it). */
interface SeriesKeyEntry {
  readonly areaName: string | null;
  readonly areaId: string | null;
  readonly deviceClass: string | null;
  readonly deviceId: string | null;
  readonly entityCategory: string | null;
  readonly platform: string | null;
  readonly unit: string | null;
  readonly key: string | undefined;
}

/** Bound on cached entities; a home has hundreds to a few thousand. */
const KEY_CACHE_LIMIT = 16_384;

/** Returns the cache; `get` gives `undefined` when the key is too long for InfluxDB. */
export function createSeriesKeyCache(measurement: string): {
  get(event: NormalizedEvent): string | undefined;
} {
  const cache = new Map<string, SeriesKeyEntry>();
  return {
    get(event) {
      const hit = cache.get(event.entityId);
      if (
        hit !== undefined &&
        hit.areaName === event.areaName &&
        hit.areaId === event.areaId &&
        hit.deviceClass === event.deviceClass &&
        hit.deviceId === event.deviceId &&
        hit.entityCategory === event.entityCategory &&
        hit.platform === event.platform &&
        hit.unit === event.unitOfMeasurement
      ) {
        return hit.key;
      }
      const key = buildSeriesKey(measurement, event);
      if (cache.size >= KEY_CACHE_LIMIT) cache.clear();
      cache.set(event.entityId, {
        areaName: event.areaName,
        areaId: event.areaId,
        deviceClass: event.deviceClass,
        deviceId: event.deviceId,
        entityCategory: event.entityCategory,
        platform: event.platform,
        unit: event.unitOfMeasurement,
        key,
      });
      return key;
    },
  };
}

/** Tags in sorted key order; entity_id and domain never need escaping (HA's charset is [a-z0-9_.]). */
function buildSeriesKey(measurement: string, event: NormalizedEvent): string | undefined {
  const parts = [measurement];
  const tag = (name: string, value: string | null): void => {
    if (value !== null && value !== '') parts.push(',', name, '=', escapeKey(value));
  };
  tag('area', event.areaName);
  tag('area_id', event.areaId);
  tag('device_class', event.deviceClass);
  tag('device_id', event.deviceId);
  parts.push(',domain=', event.domain);
  tag('entity_category', event.entityCategory);
  parts.push(',entity_id=', event.entityId);
  tag('platform', event.platform);
  tag('unit_of_measurement', event.unitOfMeasurement);
  const key = parts.join('');
  return exceedsUtf8(key, MAX_SERIES_KEY_BYTES - 4 - LONGEST_FIELD_KEY) ? undefined : key;
}
