import type { RegistryView } from '@homeiq/registry-discovery';
import { filterParam, type QueryParams } from './params.js';

/** Filters of `GET /api/areas`. */
export interface AreasQuery {
  /** Only areas on this floor. */
  readonly floorId?: string;
}

/**
 * One area. The original data-api listed the distinct `area_id`s of its entities with a title-cased id as name
 * (it never read the area registry: docs/decisions.md); this answers from the real area and floor registries.
 */
export interface AreaResponse {
  readonly area_id: string;
  /** The name set in HA. */
  readonly name: string;
  readonly floor_id: string | null;
  readonly floor_name: string | null;
  readonly icon: string | null;
  readonly aliases: readonly string[];
  readonly labels: readonly string[];
  /** Devices whose own area this is. */
  readonly device_count: number;
  /** Entities whose effective area (own, else their device's) this is. */
  readonly entity_count: number;
}

/** `GET /api/areas` response, in HA's area order. */
export interface AreasResponse {
  readonly areas: readonly AreaResponse[];
  readonly count: number;
}

/** Reads `GET /api/areas` query parameters. */
export function parseAreasQuery(params: QueryParams): AreasQuery {
  const floorId = filterParam(params, 'floor_id');
  return floorId === undefined ? {} : { floorId };
}

function countBy(keys: Iterable<string | null>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function* map<T, U>(items: Iterable<T>, fn: (item: T) => U): Generator<U> {
  for (const item of items) yield fn(item);
}

/** Answers `GET /api/areas` from the current picture. */
export function queryAreas(view: RegistryView, query: AreasQuery): AreasResponse {
  const devicesPerArea = countBy(map(view.devices(), (device) => device.areaId));
  const entitiesPerArea = countBy(map(view.entities(), (entity) => view.areaIdOf(entity)));
  const areas: AreaResponse[] = [];
  for (const area of view.areas()) {
    if (query.floorId !== undefined && area.floorId !== query.floorId) continue;
    areas.push({
      area_id: area.areaId,
      name: area.name,
      floor_id: area.floorId,
      floor_name: area.floorId === null ? null : (view.floor(area.floorId)?.name ?? null),
      icon: area.icon,
      aliases: area.aliases,
      labels: area.labels,
      device_count: devicesPerArea.get(area.areaId) ?? 0,
      entity_count: entitiesPerArea.get(area.areaId) ?? 0,
    });
  }
  return { areas, count: areas.length };
}
