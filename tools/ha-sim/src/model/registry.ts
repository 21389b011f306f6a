import { pyJson } from '../util/py-json.js';
import { toWire } from '../util/wire-text.js';
import type { HaAreaEntry, HaConfigEntry, HaDeviceEntry, HaEntityEntry, HaFloorEntry } from './wire-types.js';

/** Registry entries are mutated in place by the model; the public types are read-only views of them. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const FLOAT_KEYS: ReadonlySet<string> = new Set(['created_at', 'modified_at']);

/** The five registries of a home, in insertion order, with id lookups. */
export class Registries {
  readonly floors: Mutable<HaFloorEntry>[] = [];
  readonly areas: Mutable<HaAreaEntry>[] = [];
  readonly devices: Mutable<HaDeviceEntry>[] = [];
  readonly entities: Mutable<HaEntityEntry>[] = [];
  readonly configEntries: Mutable<HaConfigEntry>[] = [];

  floor(floorId: string): Mutable<HaFloorEntry> | undefined {
    return this.floors.find((floor) => floor.floor_id === floorId);
  }

  area(areaId: string): Mutable<HaAreaEntry> | undefined {
    return this.areas.find((area) => area.area_id === areaId);
  }

  device(deviceId: string): Mutable<HaDeviceEntry> | undefined {
    return this.devices.find((device) => device.id === deviceId);
  }

  entity(entityId: string): Mutable<HaEntityEntry> | undefined {
    return this.entities.find((entity) => entity.entity_id === entityId);
  }

  /** JSON array (wire text) of a registry, floats printed as HA prints them (`0.0`). */
  static listJson(entries: readonly object[]): string {
    return '[' + entries.map((entry) => Registries.entryJson(entry)).join(',') + ']';
  }

  static entryJson(entry: object): string {
    return toWire(pyJson(entry, FLOAT_KEYS));
  }
}

/** Lower-case slug as HA's `slugify` makes area ids, floor ids and entity object ids. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug === '' ? 'unknown' : slug;
}

/** `base`, or `base_2`, `base_3`… — how HA makes generated ids unique. */
export function uniqueId(base: string, taken: (candidate: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!taken(candidate)) return candidate;
  }
}
