/**
 * @homeiq/registry-discovery: Home Assistant's device, entity, area and floor registries, fetched on every
 * (re)connect, kept current from registry events, stored (SQLite or the data-api) and indexed for enrichment.
 * Time, timers and the logger come from `@homeiq/runtime`.
 */
export { createRegistryDiscovery } from './discovery/discovery.js';
export type { RegistryDiscovery } from './discovery/discovery.js';
export type { RegistryDiscoveryOptions, RegistryDrop } from './discovery/discovery-options.js';
export type { DiscoveryStats } from './discovery/discovery-stats.js';
export type { RegistryConnection } from './discovery/connection.js';
export { createRegistryHealthCheck } from './discovery/health-check.js';
export type { EntityContext } from './lookup/entity-context.js';
export type { RegistryStore, RegistryStoreStats } from './store/store.js';
export { createSqliteRegistryStore } from './store/sqlite-store.js';
export type { SqliteRegistryStore, SqliteRegistryStoreOptions } from './store/sqlite-store.js';
export { createDataApiRegistryStore } from './data-api/data-api-store.js';
export type { DataApiRegistryStore, DataApiRegistryStoreOptions } from './data-api/data-api-store.js';
// The data-api's HTTP query contract; it belongs to the HTTP layer and moves out of this lib in a later pass.
export { parseAreasQuery } from './query/areas.js';
export { parseDevicesQuery } from './query/devices.js';
export { parseEntitiesQuery } from './query/entities.js';
export { RegistryDiscoveryError, RegistryQueryError } from './errors.js';
