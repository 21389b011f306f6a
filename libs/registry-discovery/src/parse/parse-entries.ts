import type {
  AreaRecord,
  ConfigEntryRecord,
  DeviceRecord,
  EntityRecord,
  FloorRecord,
} from '../model/types.js';
import { BadEntry, type FieldReader } from './read.js';

// One parser per registry: each reads the HA dict (docs/ha-websocket-protocol.md#registries) into a record. Ids
// are strict (an entry without one is useless and is skipped); everything else is read leniently by the FieldReader.

/** `config/floor_registry/list` item. */
export function parseFloor(r: FieldReader, rawJson: string): FloorRecord {
  const floorId = r.id('floor_id');
  return {
    floorId,
    name: r.string('name') ?? floorId,
    level: r.number('level'),
    icon: r.string('icon'),
    aliases: r.strings('aliases'),
    raw: r.raw,
    fingerprint: rawJson,
  };
}

/** `config/area_registry/list` item. */
export function parseArea(r: FieldReader, rawJson: string): AreaRecord {
  const areaId = r.id('area_id');
  return {
    areaId,
    name: r.string('name') ?? areaId,
    floorId: r.string('floor_id'),
    icon: r.string('icon'),
    aliases: r.strings('aliases'),
    labels: r.strings('labels'),
    raw: r.raw,
    fingerprint: rawJson,
  };
}

/** `config/device_registry/list` item; `integration` is filled in later from the config entries. */
export function parseDevice(r: FieldReader, rawJson: string): DeviceRecord {
  const deviceId = r.id('id');
  const name = r.string('name');
  const nameByUser = r.string('name_by_user');
  const configEntries = r.strings('config_entries');
  return {
    deviceId,
    name,
    nameByUser,
    displayName: nameByUser ?? name,
    manufacturer: r.string('manufacturer'),
    model: r.string('model'),
    modelId: r.string('model_id'),
    swVersion: r.string('sw_version'),
    hwVersion: r.string('hw_version'),
    serialNumber: r.string('serial_number'),
    areaId: r.string('area_id'),
    viaDeviceId: r.string('via_device_id'),
    entryType: r.string('entry_type'),
    disabledBy: r.string('disabled_by'),
    // Newest core has one config entry per device (`config_entry_id`); older ones a list with a primary.
    configEntryId:
      r.string('config_entry_id') ?? r.string('primary_config_entry') ?? configEntries[0] ?? null,
    configEntries,
    labels: r.strings('labels'),
    integration: null,
    raw: r.raw,
    fingerprint: rawJson,
  };
}

/** `config/entity_registry/list` item. */
export function parseEntity(r: FieldReader, rawJson: string): EntityRecord {
  const entityId = r.id('entity_id');
  const dot = entityId.indexOf('.');
  if (dot <= 0 || dot === entityId.length - 1)
    throw new BadEntry(`\`entity_id\` "${entityId}" is not domain.object_id`);
  return {
    entityId,
    domain: entityId.slice(0, dot),
    registryId: r.string('id'),
    uniqueId: r.string('unique_id'),
    platform: r.string('platform') ?? 'unknown',
    deviceId: r.string('device_id'),
    areaId: r.string('area_id'),
    name: r.string('name'),
    originalName: r.string('original_name'),
    hasEntityName: r.boolean('has_entity_name', false),
    entityCategory: r.string('entity_category'),
    disabledBy: r.string('disabled_by'),
    hiddenBy: r.string('hidden_by'),
    icon: r.string('icon'),
    configEntryId: r.string('config_entry_id'),
    labels: r.strings('labels'),
    options: r.object('options'),
    raw: r.raw,
    fingerprint: rawJson,
  };
}

/** `config_entries/get` item: only the id and the integration domain matter here. */
export function parseConfigEntry(r: FieldReader): ConfigEntryRecord {
  return { entryId: r.id('entry_id'), domain: r.id('domain'), title: r.string('title') };
}
