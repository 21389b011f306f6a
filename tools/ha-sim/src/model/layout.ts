import { DEVICE_SEQUENCE, TEMPLATE_ENTITIES, type DeviceTemplate } from './catalog.js';
import { AREAS, FLOORS, INTEGRATIONS, PEOPLE } from './catalog-places.js';
import type { HomeCore } from './home-core.js';
import { PERSON, SUN } from './kinds-presence.js';
import { newArea, newFloor } from './registry-factories.js';
import { slugify } from './registry.js';
import type { EntityDefinition } from './state-record.js';
import type { HaDeviceEntry } from './wire-types.js';

const DAY_SECONDS = 86_400;

/**
 * Lays out a home of exactly `entityCount` entities with a state over `deviceCount` devices (the Sun's
 * service device included): floors and areas, one config entry per integration, devices drawn from a
 * varied sequence, each given its main entity first and then more of its entities round-robin, and any
 * remainder as device-less template sensors. Returns the definitions in state-machine order.
 */
export function layOutHome(
  core: HomeCore,
  entityCount: number,
  deviceCount: number,
  startSeconds: number,
): EntityDefinition[] {
  const random = core.random;
  const definitions: EntityDefinition[] = [];
  const past = (): number =>
    random() < 0.3 ? 0 : Math.round((startSeconds - (1 + random() * 400) * DAY_SECONDS) * 1e6) / 1e6;

  const personCount = Math.min(PEOPLE.length, Math.floor(entityCount / 8));
  const hasSun = entityCount >= 1 && deviceCount >= 1;
  const hardwareDevices = Math.max(
    0,
    Math.min(deviceCount - (hasSun ? 1 : 0), entityCount - personCount - (hasSun ? 1 : 0)),
  );
  layOutAreas(core, hardwareDevices, startSeconds);

  if (hasSun) {
    const { device, integration } = core.addDevice(SUN_DEVICE, 'Sun', null, past());
    const { definition } = core.addDeviceEntity(device, integration, SUN, device.created_at);
    if (definition !== null) definitions.push(definition);
  }

  const areas = core.registries.areas;
  const devices: { device: HaDeviceEntry; template: DeviceTemplate; next: number }[] = [];
  for (let i = 0; i < hardwareDevices; i++) {
    const template = DEVICE_SEQUENCE[i % DEVICE_SEQUENCE.length] ?? DEVICE_SEQUENCE[0];
    if (template === undefined) break;
    const area = i % 12 === 11 || areas.length === 0 ? undefined : areas[i % areas.length];
    const label = template.label.charAt(0).toUpperCase() + template.label.slice(1);
    const name = core.uniqueDeviceName(area === undefined ? label : `${area.name} ${template.label}`);
    const { device } = core.addDevice(template, name, area?.area_id ?? null, past());
    devices.push({ device, template, next: 0 });
  }

  let remaining = entityCount - definitions.length - personCount;
  const takeNext = (slot: (typeof devices)[number]): boolean => {
    const kind = slot.template.kinds[slot.next];
    if (kind === undefined) return false;
    slot.next++;
    const integration = INTEGRATIONS[slot.template.integration];
    if (integration === undefined) return false;
    const { definition } = core.addDeviceEntity(slot.device, integration, kind, slot.device.created_at);
    if (definition === null) return true; // disabled: registry only, does not count
    definitions.push(definition);
    remaining--;
    return true;
  };
  for (const slot of devices) if (remaining > 0) takeNext(slot);
  let progress = true;
  while (remaining > 0 && progress) {
    progress = false;
    for (const slot of devices) if (remaining > 0 && takeNext(slot)) progress = true;
  }

  for (let i = 0; remaining > 0; i++, remaining--) {
    const spec = TEMPLATE_ENTITIES[i % TEMPLATE_ENTITIES.length] ?? TEMPLATE_ENTITIES[0];
    if (spec === undefined) break;
    const name =
      i < TEMPLATE_ENTITIES.length
        ? spec.name
        : `${spec.name} ${Math.floor(i / TEMPLATE_ENTITIES.length) + 1}`;
    const { definition } = core.addEntity(
      spec.kind,
      null,
      'template',
      null,
      { objectBase: name, originalName: name, hasEntityName: false, friendlyName: name },
      past(),
    );
    if (definition !== null) definitions.push(definition);
  }

  definitions.push(...layOutPeople(core, personCount, definitions, startSeconds));
  linkAreaSensors(core, definitions);
  return definitions;
}

const SUN_DEVICE: DeviceTemplate = {
  label: 'Sun',
  integration: 'sun',
  manufacturer: '',
  model: '',
  modelId: null,
  swVersion: null,
  kinds: [SUN],
};

function layOutAreas(core: HomeCore, hardwareDevices: number, startSeconds: number): void {
  const areaCount = Math.min(AREAS.length, Math.max(2, Math.ceil(hardwareDevices / 3)));
  const usedFloors = new Set<string>();
  for (const area of AREAS.slice(0, areaCount)) {
    const created = area.name === 'Garden' ? startSeconds - 30 * DAY_SECONDS : 0;
    core.registries.areas.push(newArea(slugify(area.name), area.name, area.floor, area.icon, created));
    if (area.floor !== null) usedFloors.add(area.floor);
  }
  for (const floor of FLOORS) {
    if (usedFloors.has(floor.floor_id))
      core.registries.floors.push(
        newFloor(floor.floor_id, floor.name, floor.level, floor.icon, startSeconds - 200 * DAY_SECONDS),
      );
  }
}

/** `person.*` entities, each tied to a user and to a phone's tracker when there is one. */
function layOutPeople(
  core: HomeCore,
  count: number,
  existing: readonly EntityDefinition[],
  startSeconds: number,
): EntityDefinition[] {
  const trackers = existing
    .filter((definition) => definition.kind.domain === 'device_tracker')
    .map((definition) => definition.entityId);
  const people: EntityDefinition[] = [];
  for (let i = 0; i < count; i++) {
    const name = PEOPLE[i] ?? `Person ${i + 1}`;
    const userId = core.newUserId();
    const tracker = trackers[i];
    const fixed = {
      editable: true,
      id: slugify(name),
      device_trackers: tracker === undefined ? [] : [tracker],
      user_id: userId,
    };
    const { definition } = core.addEntity(
      PERSON,
      null,
      'person',
      null,
      { objectBase: name, originalName: name, hasEntityName: false, friendlyName: name },
      startSeconds - 300 * DAY_SECONDS,
      fixed,
    );
    if (definition !== null) people.push(definition);
  }
  return people;
}

/** Areas name a temperature and humidity sensor, as HA 2024.x lets users do. */
function linkAreaSensors(core: HomeCore, definitions: readonly EntityDefinition[]): void {
  const registries = core.registries;
  for (const definition of definitions) {
    const entry = registries.entity(definition.entityId);
    const device = entry?.device_id == null ? undefined : registries.device(entry.device_id);
    const area = device?.area_id == null ? undefined : registries.area(device.area_id);
    if (area === undefined) continue;
    if (definition.kind.deviceClass === 'temperature' && area.temperature_entity_id === null)
      area.temperature_entity_id = definition.entityId;
    if (definition.kind.deviceClass === 'humidity' && area.humidity_entity_id === null)
      area.humidity_entity_id = definition.entityId;
  }
}
