import { KindTable, type Entry } from './kind-table.js';
import {
  deviceFingerprint,
  REGISTRY_KINDS,
  type AreaRecord,
  type ChangeReason,
  type ConfigEntryRecord,
  type DeviceRecord,
  type EntityRecord,
  type FloorRecord,
  type KindChange,
  type RegistryChange,
  type RegistryKind,
} from './types.js';

/** Complete lists to swap in; a kind left out stays as it is. */
export interface RegistryLists {
  readonly floors?: readonly FloorRecord[];
  readonly areas?: readonly AreaRecord[];
  readonly devices?: readonly DeviceRecord[];
  readonly entities?: readonly EntityRecord[];
  /** Config entries, to name each device's integration. */
  readonly configEntries?: readonly ConfigEntryRecord[];
}

/** Entries read back from a store. */
export interface StoredPicture {
  readonly floors: readonly Entry<FloorRecord>[];
  readonly areas: readonly Entry<AreaRecord>[];
  readonly devices: readonly Entry<DeviceRecord>[];
  readonly entities: readonly Entry<EntityRecord>[];
}

const none: KindChange<never> = { upserted: [], removed: [] };

/**
 * The current picture of the home. Every mutation is synchronous and bumps `version`, so readers (the index,
 * the queries) see either the old picture or the new one, never a mix.
 */
export class RegistryState {
  readonly floors = new KindTable<FloorRecord>((r) => r.floorId);
  readonly areas = new KindTable<AreaRecord>((r) => r.areaId);
  readonly devices = new KindTable<DeviceRecord>((r) => r.deviceId);
  readonly entities = new KindTable<EntityRecord>((r) => r.entityId);
  #integrations: Map<string, string> | undefined;
  #version = 0;

  /** Bumped by every mutation. */
  get version(): number {
    return this.#version;
  }

  /** Swaps in complete lists atomically and returns what changed. */
  replace(lists: RegistryLists, atMs: number, reason: ChangeReason): RegistryChange {
    if (lists.configEntries !== undefined) {
      this.#integrations = new Map(lists.configEntries.map((entry) => [entry.entryId, entry.domain]));
    }
    const listed = REGISTRY_KINDS.filter((kind) => lists[kind] !== undefined);
    const floors = lists.floors ? this.floors.replace(lists.floors, atMs) : none;
    const areas = lists.areas ? this.areas.replace(lists.areas, atMs) : none;
    let devices: KindChange<DeviceRecord> = none;
    if (lists.devices) {
      devices = this.devices.replace(
        lists.devices.map((d) => this.#withIntegration(d)),
        atMs,
      );
    } else if (lists.configEntries) {
      devices = this.#reapplyIntegrations();
    }
    const entities = lists.entities ? this.entities.replace(lists.entities, atMs) : none;
    this.#version += 1;
    return { reason, atMs, listed, floors, areas, devices, entities };
  }

  /** Removes one entry at once (a `remove` registry event). */
  remove(kind: RegistryKind, id: string, atMs: number): RegistryChange {
    const removed = this[kind].remove(id);
    this.#version += 1;
    return single(kind, atMs, removed === undefined ? none : { upserted: [], removed: [removed] });
  }

  /** Moves an entity to its new entity_id at once (an `update` event with `old_entity_id`). */
  renameEntity(oldEntityId: string, newEntityId: string, atMs: number): RegistryChange {
    const old = this.entities.entry(oldEntityId);
    if (old === undefined || this.entities.get(newEntityId) !== undefined)
      return single('entities', atMs, none);
    this.entities.remove(oldEntityId);
    const raw = { ...old.record.raw, entity_id: newEntityId };
    const renamed: EntityRecord = {
      ...old.record,
      entityId: newEntityId,
      domain: newEntityId.split('.', 1)[0] ?? old.record.domain,
      raw,
      fingerprint: JSON.stringify(raw),
    };
    this.entities.put(renamed, old.seenAtMs);
    this.#version += 1;
    return single('entities', atMs, { upserted: [renamed], removed: [old.record] });
  }

  /** Replaces the whole picture with one read back from a store. */
  load(picture: StoredPicture): void {
    this.floors.load(picture.floors);
    this.areas.load(picture.areas);
    this.devices.load(picture.devices);
    this.entities.load(picture.entities);
    this.#version += 1;
  }

  #withIntegration(device: DeviceRecord): DeviceRecord {
    // Until config entries were read once, keep what the store remembered rather than forgetting it.
    const integration =
      this.#integrations === undefined
        ? (this.devices.get(device.deviceId)?.integration ?? null)
        : device.configEntryId === null
          ? null
          : (this.#integrations.get(device.configEntryId) ?? null);
    if (integration === device.integration) return device;
    return { ...device, integration, fingerprint: deviceFingerprint(device.raw, integration) };
  }

  /** New config entries without a new device list: re-derive every device's integration. */
  #reapplyIntegrations(): KindChange<DeviceRecord> {
    const upserted: DeviceRecord[] = [];
    for (const { record, seenAtMs } of [...this.devices.entries()]) {
      const next = this.#withIntegration({
        ...record,
        integration: null,
        fingerprint: deviceFingerprint(record.raw, null),
      });
      if (next.fingerprint === record.fingerprint) continue;
      this.devices.put(next, seenAtMs);
      upserted.push(next);
    }
    return { upserted, removed: [] };
  }
}

function single(kind: RegistryKind, atMs: number, kindChange: KindChange<unknown>): RegistryChange {
  return {
    reason: 'event',
    atMs,
    listed: [],
    floors: none,
    areas: none,
    devices: none,
    entities: none,
    [kind]: kindChange,
  };
}
