/**
 * Field readers for HA registry dicts. HA adds keys often and newest cores drop some for child devices
 * (docs/ha-websocket-protocol.md#registries), so: unknown keys are ignored, a missing optional key reads as its
 * default, and a value of the wrong type is reported to `onBadField` and read as the default. Only ids are strict
 * (see {@link BadEntry}).
 */

/** A registry dict as listed by HA. */
export type RawEntry = Readonly<Record<string, unknown>>;

/** Thrown by the strict readers when an entry cannot be used at all; parseList counts and skips it. */
export class BadEntry extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'BadEntry';
  }
}

/** Reads the optional fields of one entry and reports wrong types. */
export interface FieldReader {
  readonly raw: RawEntry;
  /** A string or null (missing, null or wrong type). */
  string(key: string): string | null;
  /** A finite number or null. */
  number(key: string): number | null;
  /** A boolean, or `fallback`. */
  boolean(key: string, fallback: boolean): boolean;
  /** An array of strings ([] when missing); non-string items make the whole field []. */
  strings(key: string): readonly string[];
  /** A plain object or null. */
  object(key: string): Readonly<Record<string, unknown>> | null;
  /** A non-empty string, or throws {@link BadEntry}. */
  id(key: string): string;
}

/** True for a plain (non-array) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Makes a reader over `raw`; `onBadField(key, got)` is called for every value of a wrong type. */
export function fieldReader(raw: RawEntry, onBadField: (key: string, got: string) => void): FieldReader {
  const bad = (key: string, value: unknown): void => {
    onBadField(key, Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);
  };
  return {
    raw,
    string(key) {
      const value = raw[key];
      if (value === undefined || value === null) return null;
      if (typeof value === 'string') return value;
      bad(key, value);
      return null;
    },
    number(key) {
      const value = raw[key];
      if (value === undefined || value === null) return null;
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      bad(key, value);
      return null;
    },
    boolean(key, fallback) {
      const value = raw[key];
      if (value === undefined || value === null) return fallback;
      if (typeof value === 'boolean') return value;
      bad(key, value);
      return fallback;
    },
    strings(key) {
      const value = raw[key];
      if (value === undefined || value === null) return [];
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
      bad(key, value);
      return [];
    },
    object(key) {
      const value = raw[key];
      if (value === undefined || value === null) return null;
      if (isRecord(value)) return value;
      bad(key, value);
      return null;
    },
    id(key) {
      const value = raw[key];
      if (typeof value === 'string' && value !== '') return value;
      throw new BadEntry(
        `\`${key}\` is ${value === undefined ? 'missing' : `not a non-empty string (${typeof value})`}`,
      );
    },
  };
}
