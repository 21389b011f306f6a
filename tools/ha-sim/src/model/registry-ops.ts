import type { EventClock } from './clock.js';
import { busEvent, makeContext, type BusEvent, type ContextMix } from './events.js';
import type { HomeCore } from './home-core.js';
import { newArea, newFloor } from './registry-factories.js';
import { Registries, slugify, uniqueId } from './registry.js';
import type { StateMachine } from './state-machine.js';
import type { HaContext } from './wire-types.js';

/**
 * Registry mutations with the events HA fires for them (docs/ha-websocket-protocol.md#registry-events):
 * `changes` holds OLD values, area and floor removal first clear the references to them (firing
 * device/entity/area updates), device removal removes its entities, entity renames remove and re-add the state.
 */
export class RegistryOps {
  constructor(
    readonly core: HomeCore,
    readonly machine: StateMachine,
    readonly clock: EventClock,
    readonly mix: ContextMix,
    readonly emit: (event: BusEvent) => void,
  ) {}

  fire(eventType: string, data: object): void {
    this.fireJson(eventType, Registries.entryJson(data));
  }

  /** Fires an event with pre-serialized data; returns its context. `userId` names who fired it. */
  fireJson(eventType: string, dataJson: string, userId?: string | null): HaContext {
    const now = this.clock.nextMicros();
    // Registry changes come from a user in the UI or from an integration; neither carries a parent.
    const context = makeContext(this.core.random, now, { ...this.mix, parentRatio: 0 }, userId);
    this.emit(busEvent(eventType, dataJson, now, context.json));
    return context.context;
  }

  nowSeconds(): number {
    return this.clock.nextMicros() / 1e6;
  }

  addFloor(name: string, level: number | null, icon: string | null): string {
    const floorId = uniqueId(slugify(name), (id) => this.core.registries.floor(id) !== undefined);
    this.core.registries.floors.push(newFloor(floorId, name, level, icon, this.nowSeconds()));
    this.fire('floor_registry_updated', { action: 'create', floor_id: floorId });
    return floorId;
  }

  removeFloor(floorId: string): void {
    const registries = this.core.registries;
    const floor = registries.floor(floorId);
    if (floor === undefined) throw new RangeError(`Unknown floor \`${floorId}\``);
    for (const area of registries.areas)
      if (area.floor_id === floorId) this.updateArea(area.area_id, { floorId: null });
    registries.floors.splice(registries.floors.indexOf(floor), 1);
    this.fire('floor_registry_updated', { action: 'remove', floor_id: floorId });
  }

  addArea(name: string, floorId: string | null, icon: string | null): string {
    const registries = this.core.registries;
    if (floorId !== null && registries.floor(floorId) === undefined)
      throw new RangeError(`Unknown floor \`${floorId}\``);
    const areaId = uniqueId(slugify(name), (id) => registries.area(id) !== undefined);
    registries.areas.push(newArea(areaId, name, floorId, icon, this.nowSeconds()));
    this.fire('area_registry_updated', { action: 'create', area_id: areaId });
    return areaId;
  }

  updateArea(areaId: string, change: { name?: string; floorId?: string | null }): void {
    const area = this.core.registries.area(areaId);
    if (area === undefined) throw new RangeError(`Unknown area \`${areaId}\``);
    if (change.name !== undefined) area.name = change.name;
    if (change.floorId !== undefined) area.floor_id = change.floorId;
    area.modified_at = this.nowSeconds();
    // HA fires an area update even when nothing changed (docs/ha-websocket-protocol.md#registry-events).
    this.fire('area_registry_updated', { action: 'update', area_id: areaId });
  }

  removeArea(areaId: string): void {
    const registries = this.core.registries;
    const area = registries.area(areaId);
    if (area === undefined) throw new RangeError(`Unknown area \`${areaId}\``);
    for (const device of registries.devices)
      if (device.area_id === areaId) this.moveDeviceToArea(device.id, null);
    for (const entity of registries.entities)
      if (entity.area_id === areaId) this.moveEntityToArea(entity.entity_id, null);
    registries.areas.splice(registries.areas.indexOf(area), 1);
    this.fire('area_registry_updated', { action: 'remove', area_id: areaId });
  }

  moveDeviceToArea(deviceId: string, areaId: string | null): void {
    const device = this.#device(deviceId);
    this.#checkArea(areaId);
    if (device.area_id === areaId) return;
    const old = device.area_id;
    device.area_id = areaId;
    device.modified_at = this.nowSeconds();
    this.fire('device_registry_updated', {
      action: 'update',
      device_id: deviceId,
      changes: { area_id: old },
    });
  }

  renameDevice(deviceId: string, nameByUser: string | null): void {
    const device = this.#device(deviceId);
    if (device.name_by_user === nameByUser) return;
    const old = device.name_by_user;
    device.name_by_user = nameByUser;
    device.modified_at = this.nowSeconds();
    this.fire('device_registry_updated', {
      action: 'update',
      device_id: deviceId,
      changes: { name_by_user: old },
    });
    for (const entity of this.core.registries.entities) {
      if (entity.device_id === deviceId && entity.has_entity_name) this.#renderName(entity.entity_id);
    }
  }

  removeDevice(deviceId: string): void {
    const registries = this.core.registries;
    const device = this.#device(deviceId);
    registries.devices.splice(registries.devices.indexOf(device), 1);
    this.fire('device_registry_updated', { action: 'remove', device_id: deviceId, device });
    for (const entity of registries.entities.filter((candidate) => candidate.device_id === deviceId))
      this.removeEntity(entity.entity_id);
  }

  removeEntity(entityId: string): void {
    const registries = this.core.registries;
    const entry = registries.entity(entityId);
    if (entry === undefined) throw new RangeError(`Unknown entity \`${entityId}\``);
    registries.entities.splice(registries.entities.indexOf(entry), 1);
    this.fire('entity_registry_updated', { action: 'remove', entity_id: entityId });
    this.machine.remove(entityId);
    this.core.definitions.delete(entityId);
  }

  renameEntity(entityId: string, newEntityId: string): void {
    const registries = this.core.registries;
    const entry = registries.entity(entityId);
    const definition = this.core.definitions.get(entityId);
    if (entry === undefined) throw new RangeError(`Unknown entity \`${entityId}\``);
    const [domain] = entityId.split('.');
    if (!/^[a-z0-9_]+\.[a-z0-9_]+$/.test(newEntityId) || !newEntityId.startsWith(`${domain ?? ''}.`)) {
      throw new RangeError(
        `Expected \`newEntityId\` to be a ${domain ?? ''}.<object_id> entity id, got \`${newEntityId}\``,
      );
    }
    if (registries.entity(newEntityId) !== undefined)
      throw new RangeError(`Entity \`${newEntityId}\` already exists`);
    entry.entity_id = newEntityId;
    entry.modified_at = this.nowSeconds();
    this.fire('entity_registry_updated', {
      action: 'update',
      entity_id: newEntityId,
      changes: { entity_id: entityId },
      old_entity_id: entityId,
    });
    const record = this.machine.records.get(entityId);
    this.core.definitions.delete(entityId);
    if (definition === undefined) return;
    const renamed = { ...definition, entityId: newEntityId };
    this.core.definitions.set(newEntityId, renamed);
    if (record === undefined) return;
    this.machine.remove(entityId);
    this.machine.add(renamed, record.reading, record.overrideAttributes);
  }

  setEntityName(entityId: string, name: string | null): void {
    const entry = this.core.registries.entity(entityId);
    if (entry === undefined) throw new RangeError(`Unknown entity \`${entityId}\``);
    if (entry.name === name) return;
    const old = entry.name;
    entry.name = name;
    entry.modified_at = this.nowSeconds();
    this.fire('entity_registry_updated', { action: 'update', entity_id: entityId, changes: { name: old } });
    this.#renderName(entityId);
  }

  moveEntityToArea(entityId: string, areaId: string | null): void {
    const entry = this.core.registries.entity(entityId);
    if (entry === undefined) throw new RangeError(`Unknown entity \`${entityId}\``);
    this.#checkArea(areaId);
    if (entry.area_id === areaId) return;
    const old = entry.area_id;
    entry.area_id = areaId;
    entry.modified_at = this.nowSeconds();
    this.fire('entity_registry_updated', {
      action: 'update',
      entity_id: entityId,
      changes: { area_id: old },
    });
  }

  /** Recomputes an entity's friendly name from the registry, as HA does after a rename. */
  #renderName(entityId: string): void {
    const registries = this.core.registries;
    const entry = registries.entity(entityId);
    const definition = this.core.definitions.get(entityId);
    if (entry === undefined || definition === undefined) return;
    const own = entry.name ?? entry.original_name;
    const device = entry.device_id === null ? undefined : registries.device(entry.device_id);
    const deviceName = device?.name_by_user ?? device?.name ?? null;
    definition.friendlyName =
      entry.has_entity_name && deviceName !== null
        ? own === null
          ? deviceName
          : `${deviceName} ${own}`
        : (own ?? entityId);
    const record = this.machine.records.get(entityId);
    if (record?.overrideAttributes != null)
      record.overrideAttributes = { ...record.overrideAttributes, friendly_name: definition.friendlyName };
    record?.invalidateAttributes();
    this.machine.refresh(entityId);
  }

  #device(deviceId: string) {
    const device = this.core.registries.device(deviceId);
    if (device === undefined) throw new RangeError(`Unknown device \`${deviceId}\``);
    return device;
  }

  #checkArea(areaId: string | null): void {
    if (areaId !== null && this.core.registries.area(areaId) === undefined)
      throw new RangeError(`Unknown area \`${areaId}\``);
  }
}
