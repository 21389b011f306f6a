import { startHaSim, type HaSim } from '../index.js';
import { TestClient, type Message } from '../testing-internal/test-client.js';

const error = (id: unknown, code: string, message: string): Message => ({
  id,
  type: 'result',
  success: false,
  error: { code, message },
});
const ok = (id: number, result: unknown = null): Message => ({ id, type: 'result', success: true, result });

describe('command phase (HA ActiveConnection.async_handle and commands)', () => {
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

  it('answers ping with pong (no success field)', async () => {
    expect(await client.command({ id: 3, type: 'ping' })).toEqual({ id: 3, type: 'pong' });
  });

  it('requires strictly increasing ids (gaps allowed)', async () => {
    expect(await client.command({ id: 10, type: 'ping' })).toEqual({ id: 10, type: 'pong' });
    expect(await client.command({ id: 10, type: 'ping' })).toEqual(
      error(10, 'id_reuse', 'Identifier values have to increase.'),
    );
    expect(await client.command({ id: 7, type: 'ping' })).toEqual(
      error(7, 'id_reuse', 'Identifier values have to increase.'),
    );
    expect(await client.command({ id: 30, type: 'ping' })).toEqual({ id: 30, type: 'pong' });
  });

  it('does not advance last_id on unknown_command, but does on a schema error', async () => {
    expect(await client.command({ id: 5, type: 'no/such' })).toEqual(
      error(5, 'unknown_command', 'Unknown command.'),
    );
    expect(await client.command({ id: 5, type: 'ping' })).toEqual({ id: 5, type: 'pong' });
    expect(await client.command({ id: 6, type: 'ping', foo: 1 })).toEqual(
      error(6, 'invalid_format', "extra keys not allowed @ data['foo']. Got 1"),
    );
    expect(await client.command({ id: 6, type: 'ping' })).toEqual(
      error(6, 'id_reuse', 'Identifier values have to increase.'),
    );
  });

  it.each([
    [{ id: 0, type: 'ping' }, 0],
    [{ id: '4', type: 'ping' }, '4'],
    [{ id: 4.5, type: 'ping' }, 4.5],
    [{ id: true, type: 'ping' }, true],
    [{ type: 'ping' }, null],
    [{ id: 4 }, 4],
    [{ id: 4, type: 7 }, 4],
    [{ id: 4, type: '' }, 4],
  ])('rejects %j as invalid_format, echoing the id', async (message, id) => {
    client.send(message);
    expect(await client.next((reply) => reply.type === 'result')).toEqual(
      error(id, 'invalid_format', 'Message incorrectly formatted.'),
    );
  });

  it('answers a non-object message with id 0', async () => {
    client.send('[1]');
    expect(await client.next((reply) => reply.type === 'result')).toEqual(
      error(0, 'invalid_format', 'Message incorrectly formatted.'),
    );
  });

  it('treats a negative id as reused', async () => {
    expect(await client.command({ id: -2, type: 'ping' })).toEqual(
      error(-2, 'id_reuse', 'Identifier values have to increase.'),
    );
  });

  it('handles a JSON array of commands in order', async () => {
    client.send([
      { id: 1, type: 'ping' },
      { id: 2, type: 'subscribe_events' },
      { id: 2, type: 'ping' },
    ]);
    await client.waitFor(3, (message) => message.type !== 'auth_required' && message.type !== 'auth_ok');
    expect(client.messages.slice(2)).toEqual([
      { id: 1, type: 'pong' },
      ok(2),
      error(2, 'id_reuse', 'Identifier values have to increase.'),
    ]);
  });

  it('sends one message per frame without coalescing, arrays once supported_features asks for it', async () => {
    client.send([
      { id: 1, type: 'ping' },
      { id: 2, type: 'ping' },
    ]);
    await client.waitFor(2, (message) => message.type === 'pong');
    expect(client.frames.slice(-2)).toEqual(['{"id":1,"type":"pong"}', '{"id":2,"type":"pong"}']);
    expect(
      await client.command({ id: 3, type: 'supported_features', features: { coalesce_messages: 1 } }),
    ).toEqual(ok(3));
    client.send([
      { id: 4, type: 'ping' },
      { id: 5, type: 'ping' },
    ]);
    await client.waitFor(4, (message) => message.type === 'pong');
    expect(client.frames.at(-1)).toBe('[{"id":4,"type":"pong"},{"id":5,"type":"pong"}]');
    client.send({ id: 6, type: 'ping' });
    await client.next((message) => message.id === 6);
    expect(client.frames.at(-1)).toBe('{"id":6,"type":"pong"}');
  });

  it('validates supported_features', async () => {
    expect(
      await client.command({ id: 1, type: 'supported_features', features: { coalesce_messages: 'yes' } }),
    ).toEqual(error(1, 'invalid_format', "expected int @ data['features']['coalesce_messages']. Got 'yes'"));
    expect(await client.command({ id: 2, type: 'supported_features' })).toEqual(
      error(2, 'invalid_format', "required key not provided @ data['features']. Got None"),
    );
  });

  it('subscribe_events with a type gets only that type; without one gets everything but state_reported', async () => {
    expect(await client.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' })).toEqual(
      ok(1),
    );
    expect(await client.command({ id: 2, type: 'subscribe_events' })).toEqual(ok(2));
    expect(await client.command({ id: 3, type: 'subscribe_events', event_type: 'my_event' })).toEqual(ok(3));
    sim.fireEvent('my_event', { n: 1 });
    sim.setState('sun.sun', 'below_horizon');
    await client.waitFor(4, (message) => message.type === 'event');
    const events = client.messages.filter((message) => message.type === 'event');
    const seen = events.map((message) => [
      message.id,
      (message['event'] as { event_type: string }).event_type,
    ]);
    expect(seen).toEqual([
      [3, 'my_event'],
      [2, 'my_event'],
      [1, 'state_changed'],
      [2, 'state_changed'],
    ]);
    expect(
      client.frames.some(
        (frame) =>
          frame.endsWith(',"id":1}') &&
          frame.startsWith('{"type":"event","event":{"event_type":"state_changed"'),
      ),
    ).toBe(true);
  });

  it('refuses an unfiltered state_reported subscription as HA core does', async () => {
    expect(await client.command({ id: 1, type: 'subscribe_events', event_type: 'state_reported' })).toEqual(
      error(1, 'home_assistant_error', 'Event filter is required for event state_reported'),
    );
  });

  it('unsubscribes, and answers not_found for an unknown subscription', async () => {
    await client.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
    expect(await client.command({ id: 2, type: 'unsubscribe_events', subscription: 1 })).toEqual(ok(2));
    expect(await client.command({ id: 3, type: 'unsubscribe_events', subscription: 1 })).toEqual(
      error(3, 'not_found', 'Subscription not found.'),
    );
    expect(await client.command({ id: 4, type: 'unsubscribe_events', subscription: 'x' })).toEqual(
      error(4, 'invalid_format', "expected int for dictionary value @ data['subscription']. Got 'x'"),
    );
    expect(sim.emitStateChanges(20)).toBe(0);
    expect(await client.command({ id: 5, type: 'ping' })).toEqual({ id: 5, type: 'pong' });
    expect(client.messages.some((message) => message.type === 'event')).toBe(false);
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
  });

  it('closes the connection on invalid JSON in the command phase, without a reply', async () => {
    client.send('{"id": 1,');
    expect(await client.closed).toBe(1000);
    expect(client.messages.filter((message) => message.type === 'result')).toEqual([]);
  });

  it('closes when a message exceeds 4 MiB (aiohttp max_msg_size)', async () => {
    client.send(JSON.stringify({ id: 1, type: 'ping', pad: 'x'.repeat(4 * 1024 * 1024) }));
    expect(await client.closed).toBe(1009);
  });
});
