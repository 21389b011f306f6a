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
export type { RegistryView } from './model/view.js';
export type { AreaRecord, DeviceRecord, EntityRecord, FloorRecord } from './model/types.js';
export type { RegistryStore, RegistryStoreStats } from './store/store.js';
export { createSqliteRegistryStore } from './store/sqlite-store.js';
export type { SqliteRegistryStore, SqliteRegistryStoreOptions } from './store/sqlite-store.js';
export { createDataApiRegistryStore } from './data-api/data-api-store.js';
export type { DataApiRegistryStore, DataApiRegistryStoreOptions } from './data-api/data-api-store.js';
export { RegistryDiscoveryError } from './errors.js';
