import { randomHexId, randomMac, type RandomFn } from '../util/random.js';
import { ulid } from '../util/ulid.js';
import type { Integration } from './catalog-places.js';
import type { Mutable } from './registry.js';
import type { HaAreaEntry, HaConfigEntry, HaDeviceEntry, HaEntityEntry, HaFloorEntry } from './wire-types.js';

/** Registry entry factories: each returns an entry in HA's exact key order, with HA's defaults. */

export function newFloor(
  floorId: string,
  name: string,
  level: number | null,
  icon: string | null,
  atSeconds: number,
): Mutable<HaFloorEntry> {
  return { aliases: [], created_at: atSeconds, floor_id: floorId, icon, level, name, modified_at: atSeconds };
}

export function newArea(
  areaId: string,
  name: string,
  floorId: string | null,
  icon: string | null,
  atSeconds: number,
): Mutable<HaAreaEntry> {
  return {
    aliases: [],
    area_id: areaId,
    floor_id: floorId,
    humidity_entity_id: null,
    icon,
    labels: [],
    name,
    picture: null,
    temperature_entity_id: null,
    created_at: atSeconds,
    modified_at: atSeconds,
  };
}

export function newConfigEntry(
  random: RandomFn,
  integration: Integration,
  title: string,
  atSeconds: number,
): Mutable<HaConfigEntry> {
  return {
    created_at: atSeconds,
    entry_id: ulid(Math.max(0, atSeconds * 1000), random),
    domain: integration.domain,
    modified_at: atSeconds,
    title,
    source: integration.source,
    state: 'loaded',
    supports_options: integration.supportsOptions,
    supports_remove_device: integration.domain !== 'sun',
    supports_unload: true,
    supports_reconfigure: integration.source === 'user',
    supported_subentry_types: {},
    pref_disable_new_entities: false,
    pref_disable_polling: false,
    disabled_by: null,
    reason: null,
    error_reason_translation_key: null,
    error_reason_translation_placeholders: null,
    num_subentries: 0,
  };
}

export interface DeviceSpec {
  readonly name: string;
  readonly areaId: string | null;
  readonly integration: Integration;
  readonly entryId: string;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly modelId: string | null;
  readonly swVersion: string | null;
  readonly entryType: 'service' | null;
  readonly createdAtSeconds: number;
}

export function newDevice(random: RandomFn, spec: DeviceSpec): Mutable<HaDeviceEntry> {
  const link = spec.integration.link;
  const address = link === 'zigbee' ? randomMac(random, 8) : randomMac(random);
  const identifier = link === 'cloud' ? randomHexId(random).slice(0, 16) : address.replaceAll(':', '');
  return {
    area_id: spec.areaId,
    configuration_url:
      link === 'mac' && spec.entryType === null
        ? `http://192.168.1.${10 + Math.floor(random() * 200)}`
        : null,
    config_entries: [spec.entryId],
    config_entries_subentries: { [spec.entryId]: [null] },
    connections:
      link === 'mac'
        ? [['mac', address]]
        : link === 'zigbee' && spec.integration.domain === 'zha'
          ? [['zigbee', address]]
          : [],
    created_at: spec.createdAtSeconds,
    disabled_by: null,
    entry_type: spec.entryType,
    hw_version: null,
    id: randomHexId(random),
    identifiers: [[spec.integration.domain, link === 'zigbee' ? address : identifier]],
    labels: [],
    manufacturer: spec.manufacturer,
    model: spec.model,
    model_id: spec.modelId,
    modified_at: spec.createdAtSeconds,
    name_by_user: null,
    name: spec.name,
    primary_config_entry: spec.entryId,
    serial_number: link === 'mac' ? identifier.toUpperCase() : null,
    sw_version: spec.swVersion,
    via_device_id: null,
  };
}

export interface EntityEntrySpec {
  readonly entityId: string;
  readonly platform: string;
  readonly uniqueId: string;
  readonly configEntryId: string | null;
  readonly deviceId: string | null;
  readonly hasEntityName: boolean;
  readonly originalName: string | null;
  readonly entityCategory: 'config' | 'diagnostic' | null;
  readonly options: Readonly<Record<string, unknown>>;
  readonly disabledBy: string | null;
  readonly createdAtSeconds: number;
}

export function newEntityEntry(random: RandomFn, spec: EntityEntrySpec): Mutable<HaEntityEntry> {
  return {
    area_id: null,
    categories: {},
    config_entry_id: spec.configEntryId,
    config_subentry_id: null,
    created_at: spec.createdAtSeconds,
    device_id: spec.deviceId,
    disabled_by: spec.disabledBy,
    entity_category: spec.entityCategory,
    entity_id: spec.entityId,
    has_entity_name: spec.hasEntityName,
    hidden_by: null,
    icon: null,
    id: randomHexId(random),
    labels: [],
    modified_at: spec.createdAtSeconds,
    name: null,
    options: spec.options,
    original_name: spec.originalName,
    platform: spec.platform,
    translation_key: null,
    unique_id: spec.uniqueId,
  };
}
