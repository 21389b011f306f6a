/**
 * The legacy data-api's HTTP query API (`GET /api/devices|entities|areas`, snake_case answers:
 * docs/decisions.md#the-data-api-contract) over registry-discovery's read-only view of the registries.
 */
export { createRegistryApi } from './registry-api.js';
export type { RegistryApi, RegistryApiOptions } from './registry-api.js';
export type { AreaResponse, AreasResponse } from './areas.js';
export type { DeviceResponse, DevicesResponse } from './devices.js';
// queryEntities: the bench (tools/bench/registry) compares it with the JSON text the entities route sends.
export { queryEntities } from './entities.js';
export type { EntitiesQuery, EntitiesResponse, EntityResponse } from './entities.js';
export { RegistryQueryError } from './query-error.js';
