import { adminCommands } from './fixtures/real-target.js';
import type { RealHa } from './real-ha.js';

/** What {@link seedHome} created, for assertions. */
export interface SeededHome {
  readonly floorIds: readonly string[];
  /** area_id → floor_id (null: no floor). */
  readonly areaFloors: ReadonlyMap<string, string | null>;
  /** device_id → area_id of the devices it placed. */
  readonly deviceAreas: ReadonlyMap<string, string>;
  /** entity_id → area_id of the entities it placed (an override of the device's area). */
  readonly entityAreas: ReadonlyMap<string, string>;
}

interface DeviceRow {
  readonly id: string;
  readonly identifiers: readonly (readonly [string, string])[];
}

/**
 * Gives a freshly onboarded HA the registry variety the tests need, through the admin registry commands: two
 * floors (one with an icon and an alias), onboarding's three areas put on them (one with an icon, an alias and a
 * label) plus an area without a floor, four devices placed in areas (one renamed by the user, one labelled), a
 * device-less template entity placed in an area with a user name and icon, and a state change made by the
 * owner that an automation follows up (contexts with a user_id and with a parent_id).
 */
export async function seedHome(ha: RealHa): Promise<SeededHome> {
  const admin = await adminCommands(ha);
  try {
    const created = async <T>(type: string, fields: Record<string, unknown>): Promise<T> =>
      (await admin.run(type, fields)) as T;
    const label = await created<{ label_id: string }>('config/label_registry/create', {
      name: 'Critical',
      color: 'red',
    });
    const ground = await created<{ floor_id: string }>('config/floor_registry/create', {
      name: 'Ground floor',
      level: 0,
      icon: 'mdi:home-floor-0',
      aliases: ['Downstairs'],
    });
    const first = await created<{ floor_id: string }>('config/floor_registry/create', {
      name: 'First floor',
      level: 1,
    });
    const areaFloors = new Map<string, string | null>([
      ['living_room', ground.floor_id],
      ['kitchen', ground.floor_id],
      ['bedroom', first.floor_id],
    ]);
    for (const [areaId, floorId] of areaFloors)
      await admin.run('config/area_registry/update', { area_id: areaId, floor_id: floorId });
    await admin.run('config/area_registry/update', {
      area_id: 'living_room',
      icon: 'mdi:sofa',
      aliases: ['Lounge'],
      labels: [label.label_id],
    });
    const hallway = await created<{ area_id: string }>('config/area_registry/create', { name: 'Hallway' });
    areaFloors.set(hallway.area_id, null);

    const devices = (await admin.run('config/device_registry/list')) as DeviceRow[];
    const byIntegration = (domain: string): DeviceRow[] =>
      devices.filter((d) => d.identifiers[0]?.[0] === domain);
    const placed = [...byIntegration('homeiq_devices').slice(0, 1), ...byIntegration('demo').slice(0, 3)];
    const rooms = ['living_room', 'kitchen', 'bedroom', 'kitchen'];
    const deviceAreas = new Map<string, string>();
    for (const [index, device] of placed.entries()) {
      const areaId = rooms[index] ?? 'living_room';
      const fields: Record<string, unknown> = { device_id: device.id, area_id: areaId };
      if (index === 0) fields['labels'] = [label.label_id];
      if (index === 1) fields['name_by_user'] = 'Kitchen gadget';
      await admin.run('config/device_registry/update', fields);
      deviceAreas.set(device.id, areaId);
    }

    const entityAreas = new Map([['sensor.doubled_setpoint', hallway.area_id]]);
    await admin.run('config/entity_registry/update', {
      entity_id: 'sensor.doubled_setpoint',
      area_id: hallway.area_id,
      name: 'Twice the setpoint',
      icon: 'mdi:thermometer-plus',
      labels: [label.label_id],
    });
    await admin.run('call_service', {
      domain: 'input_boolean',
      service: 'turn_on',
      target: { entity_id: 'input_boolean.porch_light' },
    });
    return { floorIds: [ground.floor_id, first.floor_id], areaFloors, deviceAreas, entityAreas };
  } finally {
    await admin.close();
  }
}
