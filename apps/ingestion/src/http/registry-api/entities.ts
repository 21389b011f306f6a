import type { EntityRecord, RegistryView } from '@homeiq/registry-discovery';
import { checkLimit, filterParam, intParam, type QueryParams } from './params.js';

/** Filters of `GET /api/entities`, the data-api's (docs/decisions.md#the-data-api-contract), plus `areaId`. */
export interface EntitiesQuery {
  /** 1..10000. @default 100 */
  readonly limit?: number;
  readonly domain?: string;
  readonly platform?: string;
  /** Case-insensitive, as the data-api compared it. */
  readonly deviceId?: string;
  /** The entity's effective area (its own, else its device's). Not in the data-api, which had `/by-area/{id}`. */
  readonly areaId?: string;
}

/**
 * One entity as the data-api's `EntityResponse` (snake_case: that HTTP contract; docs/decisions.md). Fields the
 * entity registry list does not carry (`supported_features`, `capabilities`, `device_class`, …) are null.
 */
export interface EntityResponse {
  readonly entity_id: string;
  readonly device_id: string | null;
  readonly domain: string;
  readonly platform: string;
  readonly unique_id: string | null;
  /** The effective area: the entity's own, else its device's (the data-api stored only the entity's own). */
  readonly area_id: string | null;
  readonly disabled: boolean;
  readonly config_entry_id: string | null;
  /** ISO time the entity registry last listed it. */
  readonly timestamp: string;
  readonly name: string | null;
  /** HA's entity registry has no such key; always null (kept for the contract). */
  readonly name_by_user: null;
  readonly original_name: string | null;
  readonly friendly_name: string;
  readonly supported_features: null;
  readonly capabilities: null;
  readonly available_services: null;
  readonly icon: string | null;
  readonly original_icon: null;
  readonly device_class: null;
  readonly unit_of_measurement: null;
  readonly aliases: readonly string[];
  readonly labels: readonly string[];
  readonly options: Readonly<Record<string, unknown>> | null;
}

/** `GET /api/entities` response. */
export interface EntitiesResponse {
  readonly entities: readonly EntityResponse[];
  readonly count: number;
  readonly limit: number;
}

/** Reads `GET /api/entities` query parameters; throws RegistryQueryError (HTTP 422) for a bad `limit`. */
export function parseEntitiesQuery(params: QueryParams): EntitiesQuery {
  const query: Record<string, string | number | undefined> = {
    limit: intParam(params, 'limit', 1, 10000, 100),
    domain: filterParam(params, 'domain'),
    platform: filterParam(params, 'platform'),
    deviceId: filterParam(params, 'device_id'),
    areaId: filterParam(params, 'area_id'),
  };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
}

/**
 * HA's friendly name from registry data: the user's name wins; with `has_entity_name` the device name is
 * prefixed; else the integration's name; else the object id title-cased (the data-api's fallback).
 */
function friendlyName(view: RegistryView, entity: EntityRecord): string {
  if (entity.name !== null) return entity.name;
  if (entity.hasEntityName) {
    const deviceName = entity.deviceId === null ? null : (view.device(entity.deviceId)?.displayName ?? null);
    const joined = [deviceName, entity.originalName].filter((part) => part !== null).join(' ');
    if (joined !== '') return joined;
  } else if (entity.originalName !== null) return entity.originalName;
  const objectId = entity.entityId.slice(entity.domain.length + 1);
  return objectId.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

/** Answers `GET /api/entities` from the current picture, in HA's registry order. */
export function queryEntities(view: RegistryView, query: EntitiesQuery, nowMs: number): EntitiesResponse {
  const limit = checkLimit(query.limit, 10000, 100);
  const entities = selectEntities(view, query, limit, nowMs);
  return { entities, count: entities.length, limit };
}

/**
 * The same answer as `JSON.stringify(queryEntities(…))`, built from each entity's JSON kept until the picture
 * changes: serialising all 5,000 entities of a large home costs more than finding them.
 */
export function queryEntitiesJson(view: RegistryView, query: EntitiesQuery, nowMs: number): string {
  const limit = checkLimit(query.limit, 10000, 100);
  const json = view.derived('registry-api:entity-json', () => new Map<string, string>());
  const parts = selectEntities(view, query, limit, nowMs).map((entity) => {
    let text = json.get(entity.entity_id);
    if (text === undefined) {
      text = JSON.stringify(entity);
      json.set(entity.entity_id, text);
    }
    return text;
  });
  return `{"entities":[${parts.join(',')}],"count":${parts.length},"limit":${limit}}`;
}

function selectEntities(
  view: RegistryView,
  query: EntitiesQuery,
  limit: number,
  nowMs: number,
): EntityResponse[] {
  const deviceId = query.deviceId?.toLowerCase();
  const source = deviceId === undefined ? view.entities() : entitiesOfDevice(view, deviceId);
  // Responses depend only on the picture: built once per entity until the picture changes.
  const built = view.derived('registry-api:entity-responses', () => new Map<string, EntityResponse>());
  const entities: EntityResponse[] = [];
  for (const entity of source) {
    if (entities.length >= limit) break;
    if (query.domain !== undefined && entity.domain !== query.domain) continue;
    if (query.platform !== undefined && entity.platform !== query.platform) continue;
    if (query.areaId !== undefined && view.areaIdOf(entity) !== query.areaId) continue;
    let response = built.get(entity.entityId);
    if (response === undefined) {
      response = entityResponse(view, entity, nowMs);
      built.set(entity.entityId, response);
    }
    entities.push(response);
  }
  return entities;
}

function entityResponse(view: RegistryView, entity: EntityRecord, nowMs: number): EntityResponse {
  const aliases = entity.raw['aliases'];
  return {
    entity_id: entity.entityId,
    device_id: entity.deviceId,
    domain: entity.domain,
    platform: entity.platform,
    unique_id: entity.uniqueId,
    area_id: view.areaIdOf(entity),
    disabled: entity.disabledBy !== null,
    config_entry_id: entity.configEntryId,
    timestamp: new Date(view.entitySeenAtMs(entity.entityId) ?? nowMs).toISOString(),
    name: entity.name,
    name_by_user: null,
    original_name: entity.originalName,
    friendly_name: friendlyName(view, entity),
    supported_features: null,
    capabilities: null,
    available_services: null,
    icon: entity.icon,
    original_icon: null,
    device_class: null,
    unit_of_measurement: null,
    aliases: Array.isArray(aliases) ? aliases.filter((a): a is string => typeof a === 'string') : [],
    labels: entity.labels,
    options: entity.options,
  };
}

/** Entities of the devices whose id matches case-insensitively (HA ids are lower-case hex: usually one). */
function* entitiesOfDevice(view: RegistryView, lowerDeviceId: string): Generator<EntityRecord> {
  const exact = view.device(lowerDeviceId);
  if (exact !== undefined) {
    yield* view.entitiesOf(exact.deviceId);
    return;
  }
  for (const entity of view.entities()) {
    if (entity.deviceId?.toLowerCase() === lowerDeviceId) yield entity;
  }
}
