import type {
  AreaRecord,
  DeviceRecord,
  EntityRecord,
  FloorRecord,
  RecordOf,
  RegistryKind,
} from '../model/types.js';

type Value = string | number | null;

/** One table: its key column and the columns read from a record (besides `raw` and the time columns). */
export interface TableSpec<R> {
  readonly table: RegistryKind;
  readonly key: string;
  readonly columns: readonly (readonly [
    name: string,
    type: 'TEXT' | 'INTEGER' | 'REAL',
    read: (r: R) => Value,
  ])[];
}

const json = (value: unknown): string => JSON.stringify(value);

const floors: TableSpec<FloorRecord> = {
  table: 'floors',
  key: 'floor_id',
  columns: [
    ['floor_id', 'TEXT', (r) => r.floorId],
    ['name', 'TEXT', (r) => r.name],
    ['level', 'REAL', (r) => r.level],
    ['icon', 'TEXT', (r) => r.icon],
    ['aliases', 'TEXT', (r) => json(r.aliases)],
  ],
};

const areas: TableSpec<AreaRecord> = {
  table: 'areas',
  key: 'area_id',
  columns: [
    ['area_id', 'TEXT', (r) => r.areaId],
    ['name', 'TEXT', (r) => r.name],
    ['floor_id', 'TEXT', (r) => r.floorId],
    ['icon', 'TEXT', (r) => r.icon],
    ['aliases', 'TEXT', (r) => json(r.aliases)],
    ['labels', 'TEXT', (r) => json(r.labels)],
  ],
};

const devices: TableSpec<DeviceRecord> = {
  table: 'devices',
  key: 'device_id',
  columns: [
    ['device_id', 'TEXT', (r) => r.deviceId],
    ['name', 'TEXT', (r) => r.name],
    ['name_by_user', 'TEXT', (r) => r.nameByUser],
    ['manufacturer', 'TEXT', (r) => r.manufacturer],
    ['model', 'TEXT', (r) => r.model],
    ['model_id', 'TEXT', (r) => r.modelId],
    ['sw_version', 'TEXT', (r) => r.swVersion],
    ['hw_version', 'TEXT', (r) => r.hwVersion],
    ['serial_number', 'TEXT', (r) => r.serialNumber],
    ['area_id', 'TEXT', (r) => r.areaId],
    ['via_device_id', 'TEXT', (r) => r.viaDeviceId],
    ['entry_type', 'TEXT', (r) => r.entryType],
    ['disabled_by', 'TEXT', (r) => r.disabledBy],
    ['config_entry_id', 'TEXT', (r) => r.configEntryId],
    ['integration', 'TEXT', (r) => r.integration],
    ['labels', 'TEXT', (r) => json(r.labels)],
  ],
};

const entities: TableSpec<EntityRecord> = {
  table: 'entities',
  key: 'entity_id',
  columns: [
    ['entity_id', 'TEXT', (r) => r.entityId],
    ['registry_id', 'TEXT', (r) => r.registryId],
    ['unique_id', 'TEXT', (r) => r.uniqueId],
    ['domain', 'TEXT', (r) => r.domain],
    ['platform', 'TEXT', (r) => r.platform],
    ['device_id', 'TEXT', (r) => r.deviceId],
    ['area_id', 'TEXT', (r) => r.areaId],
    ['name', 'TEXT', (r) => r.name],
    ['original_name', 'TEXT', (r) => r.originalName],
    ['entity_category', 'TEXT', (r) => r.entityCategory],
    ['disabled_by', 'TEXT', (r) => r.disabledBy],
    ['hidden_by', 'TEXT', (r) => r.hiddenBy],
    ['icon', 'TEXT', (r) => r.icon],
    ['config_entry_id', 'TEXT', (r) => r.configEntryId],
    ['labels', 'TEXT', (r) => json(r.labels)],
  ],
};

/** Table specs by kind. */
export const TABLES: { readonly [K in RegistryKind]: TableSpec<RecordOf[K]> } = {
  floors,
  areas,
  devices,
  entities,
};

/** Bumped when the schema changes incompatibly; stored in `meta`. */
export const SCHEMA_VERSION = 1;

/**
 * DDL. Every table keeps HA's dict in `raw` (JSON) so a restart rebuilds exact records; times are epoch ms.
 * Removed entries keep their row with `removed_at` set (null = live). No foreign keys: HA lists entities whose
 * device is gone, and an FK could make the data-api refuse a whole batch (docs/decisions.md#bugs-we-do-not-repeat).
 */
export function schemaSql(): string {
  const tables = Object.values(TABLES).map((spec: TableSpec<never>) => {
    const columns = spec.columns.map(
      ([name, type]) => `${name} ${type}${name === spec.key ? ' PRIMARY KEY NOT NULL' : ''}`,
    );
    return `CREATE TABLE IF NOT EXISTS ${spec.table} (
  ${[...columns, 'raw TEXT NOT NULL', 'first_seen_at INTEGER NOT NULL', 'updated_at INTEGER NOT NULL', 'last_seen_at INTEGER NOT NULL', 'removed_at INTEGER'].join(',\n  ')}
);`;
  });
  return [
    'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);',
    ...tables,
    'CREATE INDEX IF NOT EXISTS entities_device_id ON entities (device_id);',
    'CREATE INDEX IF NOT EXISTS devices_area_id ON devices (area_id);',
  ].join('\n');
}
