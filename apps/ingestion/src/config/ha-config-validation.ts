/**
 * The validators of HA's `helpers/config_validation.py` (`cv.*`) and voluptuous that the `influxdb:` block's
 * schema uses, with HA's coercions, for ha-integration-schema.ts. Each throws {@link Invalid} with what was wrong.
 */
import { isValidEntityId } from '@homeiq/event-normalizer';

/** A voluptuous-style failure: the key path and what was wrong. */
export class Invalid extends Error {}

export const describe = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** cv.string: text as is, numbers and booleans as Python's str(); None, lists and dicts refused. */
export function cvString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  throw new Invalid(`expected a string, got ${describe(value)}`);
}

/** cv.ensure_list: None → [], a list as is, anything else → [value]. */
export function ensureList(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? (value as unknown[]) : [value];
}

export const stringList = (value: unknown): string[] => ensureList(value).map(cvString);

/** cv.entity_id: lower-cased, then HA's `valid_entity_id`. */
export function cvEntityId(value: unknown): string {
  const id = cvString(value).toLowerCase();
  if (!isValidEntityId(id))
    throw new Invalid(`expected an entity id (domain.object_id), got ${describe(value)}`);
  return id;
}

/** cv.entity_ids: ensure_list_csv (a string is split at commas), then entity_id each. */
export function cvEntityIds(value: unknown): string[] {
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : ensureList(value);
  return items.map(cvEntityId);
}

/** cv.boolean. */
export function cvBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const text = value.toLowerCase().trim();
    if (['1', 'true', 'yes', 'on', 'enable'].includes(text)) return true;
    if (['0', 'false', 'no', 'off', 'disable'].includes(text)) return false;
  }
  throw new Invalid(`expected a boolean, got ${describe(value)}`);
}

/** vol.Coerce(int) then a range (cv.port: 1–65535; cv.positive_int: 0 and up). */
export function coercedInt(value: unknown, min: number, max: number, what: string): number {
  const n =
    typeof value === 'number'
      ? Math.trunc(value)
      : typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new Invalid(`expected ${what}, got ${describe(value)}`);
  return n;
}

export function oneOf<T extends string>(value: unknown, options: readonly T[]): T {
  const found = options.find((option) => option === value);
  if (found === undefined) throw new Invalid(`expected one of ${options.join(', ')}, got ${describe(value)}`);
  return found;
}

export function mapping(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new Invalid(`expected a mapping, got ${describe(value)}`);
  return value as Record<string, unknown>;
}
