/**
 * The registry entries as this library holds them: camelCase fields read from HA's lists
 * (docs/ha-websocket-protocol.md#registries), plus the raw HA dict (the data-api contract posts it unchanged) and a
 * fingerprint to tell changed entries apart.
 */

/** The four registries kept current. Config entries ride along with `devices` (they name the integration). */
export type RegistryKind = 'devices' | 'entities' | 'areas' | 'floors';

/** Every kind, in the order a picture is applied and stored (parents first). */
export const REGISTRY_KINDS: readonly RegistryKind[] = ['floors', 'areas', 'devices', 'entities'];

/** Fields every stored entry has. */
interface EntryBase {
  /** The HA dict exactly as listed (unknown keys included). */
  readonly raw: Readonly<Record<string, unknown>>;
  /** `JSON.stringify(raw)` plus derived fields: equal fingerprints mean an unchanged entry. */
  readonly fingerprint: string;
}

/** One floor (`config/floor_registry/list`). */
export interface FloorRecord extends EntryBase {
  readonly floorId: string;
  readonly name: string;
  readonly level: number | null;
  readonly icon: string | null;
  readonly aliases: readonly string[];
}

/** One area (`config/area_registry/list`). */
export interface AreaRecord extends EntryBase {
  readonly areaId: string;
  readonly name: string;
  readonly floorId: string | null;
  readonly icon: string | null;
  readonly aliases: readonly string[];
  readonly labels: readonly string[];
}

/** One device (`config/device_registry/list`). Child devices of newest HA lack manufacturer/model: null here. */
export interface DeviceRecord extends EntryBase {
  readonly deviceId: string;
  readonly name: string | null;
  readonly nameByUser: string | null;
  /** `nameByUser ?? name`: what HA shows. */
  readonly displayName: string | null;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly modelId: string | null;
  readonly swVersion: string | null;
  readonly hwVersion: string | null;
  readonly serialNumber: string | null;
  readonly areaId: string | null;
  readonly viaDeviceId: string | null;
  readonly entryType: string | null;
  readonly disabledBy: string | null;
  /** `config_entry_id` (newest HA) ?? `primary_config_entry` ?? `config_entries[0]`. */
  readonly configEntryId: string | null;
  readonly configEntries: readonly string[];
  readonly labels: readonly string[];
  /** The domain of {@link configEntryId}'s config entry (e.g. `zha`); null while unknown. */
  readonly integration: string | null;
}

/** One entity (`config/entity_registry/list`). */
export interface EntityRecord extends EntryBase {
  readonly entityId: string;
  /** `entity_id` before the dot. */
  readonly domain: string;
  /** The registry entry's own id (stable across entity_id renames); null on a payload without it. */
  readonly registryId: string | null;
  readonly uniqueId: string | null;
  readonly platform: string;
  readonly deviceId: string | null;
  /** The entity's own area override; null means "the device's area". */
  readonly areaId: string | null;
  readonly name: string | null;
  readonly originalName: string | null;
  readonly hasEntityName: boolean;
  readonly entityCategory: string | null;
  readonly disabledBy: string | null;
  readonly hiddenBy: string | null;
  readonly icon: string | null;
  readonly configEntryId: string | null;
  readonly labels: readonly string[];
  readonly options: Readonly<Record<string, unknown>> | null;
}

/** One config entry (`config_entries/get`): only what discovery uses. */
export interface ConfigEntryRecord {
  readonly entryId: string;
  readonly domain: string;
  readonly title: string | null;
}

/** Record type of each kind. */
export interface RecordOf {
  readonly devices: DeviceRecord;
  readonly entities: EntityRecord;
  readonly areas: AreaRecord;
  readonly floors: FloorRecord;
}

/** The id of a record of any kind. */
export function recordId<K extends RegistryKind>(kind: K, record: RecordOf[K]): string {
  switch (kind) {
    case 'devices':
      return (record as DeviceRecord).deviceId;
    case 'entities':
      return (record as EntityRecord).entityId;
    case 'areas':
      return (record as AreaRecord).areaId;
    default:
      return (record as FloorRecord).floorId;
  }
}

/** What changed in one kind: entries added or changed (full records), and ids removed. */
export interface KindChange<R> {
  readonly upserted: readonly R[];
  readonly removed: readonly R[];
}

/** Why a change happened. */
export type ChangeReason = 'refresh' | 'refetch' | 'event';

/** One atomic change of the picture, handed to the store, the history writer and `onChange`. */
export interface RegistryChange {
  readonly reason: ChangeReason;
  /** Clock time the change was applied. */
  readonly atMs: number;
  /** Kinds whose complete list was read at `atMs`: every live entry of these kinds was seen then. */
  readonly listed: readonly RegistryKind[];
  readonly devices: KindChange<DeviceRecord>;
  readonly entities: KindChange<EntityRecord>;
  readonly areas: KindChange<AreaRecord>;
  readonly floors: KindChange<FloorRecord>;
}

/** True when a change carries no upsert or removal. */
export function isEmptyChange(change: RegistryChange): boolean {
  return (
    change.devices.upserted.length + change.devices.removed.length === 0 &&
    change.entities.upserted.length + change.entities.removed.length === 0 &&
    change.areas.upserted.length + change.areas.removed.length === 0 &&
    change.floors.upserted.length + change.floors.removed.length === 0
  );
}

/** A device's fingerprint: its raw JSON, plus the integration derived from config entries when known. */
export function deviceFingerprint(
  raw: Readonly<Record<string, unknown>>,
  integration: string | null,
): string {
  const json = JSON.stringify(raw);
  return integration === null ? json : `${json}\n${integration}`;
}
