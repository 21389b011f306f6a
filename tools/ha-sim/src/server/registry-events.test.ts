import { startHaSim, type HaSim } from '../index.js';
import { TestClient, type Message } from '../testing-internal/test-client.js';

const eventOf = (message: Message) =>
  message['event'] as { event_type: string; data: Record<string, unknown> };

describe('registry events over the socket (docs/ha-websocket-protocol.md#registry-events)', () => {
  let sim: HaSim;
  let client: TestClient;
  beforeEach(async () => {
    sim = await startHaSim({ home: { entities: 50, seed: 2 } });
    client = await TestClient.authed(sim.wsUrl, sim.token, true);
    for (const [id, eventType] of [
      [2, 'device_registry_updated'],
      [3, 'entity_registry_updated'],
      [4, 'area_registry_updated'],
      [5, 'floor_registry_updated'],
      [6, 'state_changed'],
    ] as const) {
      await client.command({ id, type: 'subscribe_events', event_type: eventType });
    }
  });
  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  it('delivers each registry event to its subscription, and the lists reflect the change', async () => {
    const floor = sim.home.addFloor('Loft', 3);
    const area = sim.home.addArea('Studio', floor);
    const device = sim.home.devices.find((candidate) => candidate.entry_type === null)!;
    const oldArea = device.area_id;
    sim.home.moveDeviceToArea(device.id, area);
    await client.waitFor(3, (message) => message.type === 'event');
    const seen = client.messages
      .filter((message) => message.type === 'event')
      .map((message) => [message.id, eventOf(message).data]);
    expect(seen).toEqual([
      [5, { action: 'create', floor_id: 'loft' }],
      [4, { action: 'create', area_id: 'studio' }],
      [2, { action: 'update', device_id: device.id, changes: { area_id: oldArea } }],
    ]);
    const devices = (await client.command({ id: 10, type: 'config/device_registry/list' }))['result'] as {
      id: string;
      area_id: string;
    }[];
    expect(devices.find((candidate) => candidate.id === device.id)?.area_id).toBe('studio');
    const floors = (await client.command({ id: 11, type: 'config/floor_registry/list' }))['result'] as {
      floor_id: string;
      level: number;
    }[];
    expect(floors.find((candidate) => candidate.floor_id === 'loft')?.level).toBe(3);
  });

  it('removing an entity sends the registry remove, then state_changed with new_state null', async () => {
    const entityId = sim.home.entityIds().find((id) => id.startsWith('sensor.'))!;
    sim.home.removeEntity(entityId);
    await client.waitFor(2, (message) => message.type === 'event');
    const [registry, state] = client.messages.filter((message) => message.type === 'event');
    expect(registry?.id).toBe(3);
    expect(eventOf(registry!).data).toEqual({ action: 'remove', entity_id: entityId });
    expect(state?.id).toBe(6);
    expect(eventOf(state!).data).toMatchObject({
      entity_id: entityId,
      new_state: null,
      old_state: { entity_id: entityId },
    });
    const entities = (await client.command({ id: 10, type: 'config/entity_registry/list' }))['result'] as {
      entity_id: string;
    }[];
    expect(entities.some((entry) => entry.entity_id === entityId)).toBe(false);
    const states = (await client.command({ id: 11, type: 'get_states' }))['result'] as {
      entity_id: string;
    }[];
    expect(states.some((entry) => entry.entity_id === entityId)).toBe(false);
  });

  it('sends registry timestamps as floats and UTF-8 text as UTF-8', async () => {
    sim.home.addArea('Küche', null);
    const area = await client.next((message) => message.type === 'event');
    expect(eventOf(area).data).toEqual({ action: 'create', area_id: 'kuche' });
    const areas = await client.command({ id: 10, type: 'config/area_registry/list' });
    expect((areas['result'] as { name: string }[]).some((entry) => entry.name === 'Küche')).toBe(true);
    expect(client.frames.at(-1)).toContain('"name":"Küche"');
    expect(client.frames.at(-1)).toMatch(/"created_at":\d+(\.\d+)?,/);
  });
});
