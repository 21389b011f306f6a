/**
 * @homeiq/registry-discovery: Home Assistant's device, entity, area and floor registries, fetched on every
 * (re)connect, kept current from registry events, stored (SQLite or the data-api) and indexed for enrichment.
 */
export { createRegistryDiscovery } from './discovery/discovery.js';
export type { RegistryDiscovery } from './discovery/discovery.js';
export type {
  RegistryDiscoveryOptions,
  RegistryDrop,
  RegistryDropReason,
  RegistryFetchInfo,
} from './discovery/discovery-options.js';
export type { DiscoveryStatus } from './discovery/discovery-status.js';
export type { RegistryConnection, RegistryEventMessage, Unsubscribe } from './discovery/connection.js';
export { REGISTRY_EVENT_TYPES } from './discovery/registry-events.js';
export { LIST_COMMANDS } from './discovery/fetch-lists.js';
export { createRegistryHealthCheck } from './discovery/health-check.js';
export type { RegistryHealthCheck } from './discovery/health-check.js';
export type { EntityContext, RegistryLookup } from './lookup/entity-context.js';
export type {
  AreaRecord,
  ChangeReason,
  DeviceRecord,
  EntityRecord,
  FloorRecord,
  KindChange,
  RegistryChange,
  RegistryKind,
} from './model/types.js';
export type { Entry } from './model/kind-table.js';
export type { StoredPicture } from './model/registry-state.js';
export type { RegistryView } from './model/view.js';
export type { PayloadIssue } from './parse/parse-list.js';
export type { RegistryStore, RegistryStoreStatus } from './store/store.js';
export { createSqliteRegistryStore } from './store/sqlite-store.js';
export type {
  SqliteRegistryStore,
  SqliteRegistryStoreOptions,
  SqliteStoreStatus,
} from './store/sqlite-store.js';
export { createDataApiRegistryStore } from './data-api/data-api-store.js';
export type {
  DataApiRegistryStore,
  DataApiRegistryStoreOptions,
  DataApiStoreStatus,
} from './data-api/data-api-store.js';
export type { FetchLike } from './data-api/http-post.js';
export type { HistoryPrecision, RegistryHistoryWriter } from './history/history-lines.js';
export { parseAreasQuery } from './query/areas.js';
export type { AreaResponse, AreasQuery, AreasResponse } from './query/areas.js';
export { parseDevicesQuery } from './query/devices.js';
export type { DeviceResponse, DevicesQuery, DevicesResponse } from './query/devices.js';
export { parseEntitiesQuery } from './query/entities.js';
export type { EntitiesQuery, EntitiesResponse, EntityResponse } from './query/entities.js';
export type { QueryParams } from './query/params.js';
export { DataApiHttpError, RegistryDiscoveryError, RegistryQueryError } from './errors.js';
export type { RegistryErrorCode } from './errors.js';
export { systemClock } from './clock.js';
export type { Clock, Logger, TimerHandle } from './clock.js';
