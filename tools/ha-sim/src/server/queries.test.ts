import { startHaSim, type HaSim } from '../index.js';
import { TestClient } from '../testing-internal/test-client.js';

describe('queries and actions (get_config, get_services, registries, config entries, call_service)', () => {
  let sim: HaSim;
  let client: TestClient;
  beforeEach(async () => {
    sim = await startHaSim({ home: { entities: 60, seed: 3 } });
    client = await TestClient.authed(sim.wsUrl, sim.token);
  });
  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  it('get_config reports the version and the core state', async () => {
    const config = (await client.command({ id: 1, type: 'get_config' }))['result'] as Record<string, unknown>;
    expect(Object.keys(config)).toEqual([
      'allowlist_external_dirs',
      'allowlist_external_urls',
      'components',
      'config_dir',
      'config_source',
      'country',
      'currency',
      'debug',
      'elevation',
      'external_url',
      'internal_url',
      'language',
      'latitude',
      'location_name',
      'longitude',
      'radius',
      'recovery_mode',
      'safe_mode',
      'state',
      'time_zone',
      'unit_system',
      'version',
      'whitelist_external_dirs',
    ]);
    expect(config['version']).toBe('2025.1.2');
    expect(config['state']).toBe('RUNNING');
    expect(config['components']).toEqual(expect.arrayContaining(['sensor', 'zha', 'sensor.zha', 'influxdb']));
    sim.setCoreState('STARTING');
    expect(
      ((await client.command({ id: 2, type: 'get_config' }))['result'] as Record<string, unknown>)['state'],
    ).toBe('STARTING');
  });

  it('get_services describes services by domain', async () => {
    const services = (await client.command({ id: 1, type: 'get_services' }))['result'] as Record<
      string,
      Record<string, { name: string; fields: object }>
    >;
    expect(services['light']?.['turn_on']?.name).toBe('Turn on');
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['homeassistant', 'light', 'switch', 'climate']),
    );
  });

  it('answers async commands (get_services) after sync ones sent later in the same frame', async () => {
    client.send([
      { id: 1, type: 'get_services' },
      { id: 2, type: 'ping' },
    ]);
    await client.waitFor(2, (message) => message.id === 1 || message.id === 2);
    expect(client.messages.slice(2).map((message) => message.id)).toEqual([2, 1]);
  });

  it('lists registries in HA shapes; device and entity lists carry HA stray spaces', async () => {
    client.send({ id: 1, type: 'config/device_registry/list' });
    const devices = await client.next((message) => message.id === 1);
    expect(client.frames.at(-1)?.startsWith('{"id":1,"type": "result","success":true,"result": [')).toBe(
      true,
    );
    expect((devices['result'] as unknown[]).length).toBe(sim.home.devices.length);
    expect(devices['result']).toEqual(JSON.parse(JSON.stringify(sim.home.devices)));
    const entities = await client.command({ id: 2, type: 'config/entity_registry/list' });
    expect(entities['result']).toEqual(JSON.parse(JSON.stringify(sim.home.entities)));
    expect(client.frames.at(-1)).toMatch(/"created_at":(\d+\.\d+|0\.0)/);
    const areas = await client.command({ id: 3, type: 'config/area_registry/list' });
    expect(areas['result']).toEqual(JSON.parse(JSON.stringify(sim.home.areas)));
    const floors = await client.command({ id: 4, type: 'config/floor_registry/list' });
    expect(floors['result']).toEqual(JSON.parse(JSON.stringify(sim.home.floors)));
  });

  it('config_entries/get returns loaded entries, filtered by domain and integration type', async () => {
    const all = (await client.command({ id: 1, type: 'config_entries/get' }))['result'] as {
      domain: string;
      state: string;
      entry_id: string;
    }[];
    expect(all.length).toBe(sim.home.configEntries.length);
    expect(all.every((entry) => entry.state === 'loaded' && entry.entry_id.length === 26)).toBe(true);
    const zha = (await client.command({ id: 2, type: 'config_entries/get', domain: 'zha' }))['result'] as {
      domain: string;
    }[];
    expect(zha.map((entry) => entry.domain)).toEqual(['zha']);
    const services = (await client.command({ id: 3, type: 'config_entries/get', type_filter: 'service' }))[
      'result'
    ] as { domain: string }[];
    expect(services.map((entry) => entry.domain)).toEqual(['sun']);
  });

  it('call_service changes the state with the call context (user id, no parent)', async () => {
    await client.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
    const light = sim.home.entityIds().find((id) => id.startsWith('light.'))!;
    const before = sim.home.getState(light)!;
    const service = before.state === 'on' ? 'turn_off' : 'turn_on';
    const result = await client.command({
      id: 2,
      type: 'call_service',
      domain: 'light',
      service,
      target: { entity_id: light },
    });
    const context = (result['result'] as { context: { id: string; parent_id: null; user_id: string } })
      .context;
    expect(context.user_id).toBe(sim.home.userIds[0]);
    const event = await client.next((message) => message.type === 'event');
    const data = (
      event['event'] as { data: { entity_id: string; new_state: { state: string; context: unknown } } }
    ).data;
    expect(data.entity_id).toBe(light);
    expect(data.new_state.state).toBe(service === 'turn_on' ? 'on' : 'off');
    expect(data.new_state.context).toEqual(context);
    expect(
      await client.command({ id: 3, type: 'call_service', domain: 'light', service: 'explode' }),
    ).toEqual({
      id: 3,
      type: 'result',
      success: false,
      error: {
        code: 'not_found',
        message: 'Service light.explode not found.',
        translation_key: 'service_not_found',
        translation_placeholders: { domain: 'light', service: 'explode' },
        translation_domain: 'homeassistant',
      },
    });
    // As HA 2025.1 answers a service without responses asked for one (checked against real HA).
    expect(
      await client.command({
        id: 4,
        type: 'call_service',
        domain: 'light',
        service: 'turn_on',
        target: { entity_id: light },
        return_response: true,
      }),
    ).toEqual({
      id: 4,
      type: 'result',
      success: false,
      error: {
        code: 'service_validation_error',
        message:
          "Validation error: An action which does not return responses can't be called with return_response=True",
        translation_key: 'service_does_not_support_response',
        translation_placeholders: { return_response: 'return_response=True' },
        translation_domain: 'homeassistant',
      },
    });
  });
});

it('answers unknown_command for commands newer than haVersion', async () => {
  const sim = await startHaSim({ home: { entities: 5 }, haVersion: '2022.8.7' });
  try {
    const client = await TestClient.authed(sim.wsUrl, sim.token);
    const unknown = { success: false, error: { code: 'unknown_command', message: 'Unknown command.' } };
    expect(
      await client.command({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } }),
    ).toMatchObject(unknown);
    expect(await client.command({ id: 1, type: 'config/floor_registry/list' })).toMatchObject(unknown);
    expect(await client.command({ id: 1, type: 'subscribe_entities' })).toMatchObject({ success: true });
    await client.close();
  } finally {
    // Also on failure: a listening simulator keeps jest from exiting (close() also cuts the client's socket).
    await sim.close();
  }
});
