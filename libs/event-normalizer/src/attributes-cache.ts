/**
 * Per-entity memo of the quoted `attributes` field. Most events are sensor readings whose attributes are
 * the same as last time (unit, device class, friendly name), but each arrives as a fresh object from
 * `JSON.parse`, so identity does not help. Comparing keys and values in order against the previous event's
 * costs a fraction of serializing twice, and an in-order match guarantees an identical JSON text.
 */

/** What the cache remembers for one entity. */
interface Entry {
  readonly keys: string[];
  readonly values: unknown[];
  /** The field value to write (quoted JSON), or `undefined` when it was too large to write. */
  readonly quoted: string | undefined;
}

/** Result of serializing attributes: the quoted field, `undefined` (too large) or an Error (unserializable). */
export type QuotedAttributes = string | undefined | Error;

const CACHE_LIMIT = 16_384;

/**
 * Returns a memoized serializer. `serialize` does the real work on a miss; it is only called when the
 * attributes differ from the entity's previous ones (or hold nested objects, which are not compared).
 */
export function createAttributesCache(
  serialize: (attributes: Readonly<Record<string, unknown>>) => QuotedAttributes,
): (entityId: string, attributes: Readonly<Record<string, unknown>>) => QuotedAttributes {
  const cache = new Map<string, Entry>();
  return (entityId, attributes) => {
    const hit = cache.get(entityId);
    if (hit !== undefined && sameAttributes(hit, attributes)) return hit.quoted;
    const quoted = serialize(attributes);
    if (quoted instanceof Error) return quoted;
    const keys: string[] = [];
    const values: unknown[] = [];
    for (const key in attributes) {
      const value = attributes[key];
      // Only flat values and arrays of flat values are compared; anything deeper is re-serialized.
      if (!isComparable(value)) return quoted;
      keys.push(key);
      values.push(Array.isArray(value) ? [...(value as unknown[])] : value);
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(entityId, { keys, values, quoted });
    return quoted;
  };
}

function isFlat(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

function isComparable(value: unknown): boolean {
  if (isFlat(value)) return typeof value !== 'bigint' && typeof value !== 'symbol' && value !== undefined;
  return Array.isArray(value) && value.every(isFlat);
}

function sameAttributes(entry: Entry, attributes: Readonly<Record<string, unknown>>): boolean {
  const { keys, values } = entry;
  let i = 0;
  for (const key in attributes) {
    if (key !== keys[i]) return false;
    const value = attributes[key];
    const previous = values[i];
    if (value !== previous) {
      if (!Array.isArray(value) || !Array.isArray(previous) || value.length !== previous.length) return false;
      for (let j = 0; j < value.length; j++) if (value[j] !== previous[j]) return false;
    }
    i++;
  }
  return i === keys.length;
}
