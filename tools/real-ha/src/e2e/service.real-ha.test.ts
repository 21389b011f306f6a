import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getFreePort,
  startInfluxd,
  startService,
  waitFor,
  type Influxd,
  type ServiceProcess,
} from '@homeiq/testing';
import { adminCommands, type AdminCommands } from '../fixtures/real-target.js';
import { seedHome, type SeededHome } from '../home-setup.js';
import { startRealHa, type RealHa } from '../real-ha.js';
import { epochNsToIso, isoToEpochNs } from '../testing-internal/ha-time.js';
import type { WsMessage, WsSession } from '../ws-session.js';

/**
 * The built service as a real process against a real Home Assistant 2025.1 and a real influxd: what HA fires
 * is what InfluxDB holds (HA's own history agrees), the registries it discovers are HA's, registry changes
 * show up within seconds, and an HA restart is survived with one resubscription and a resync of the gap.
 */
interface Health {
  connection: { current_state: string; successful_connections: number; gaps_resynced: number };
  subscription: { is_subscribed: boolean; total_events_received: number };
  sink: { written: number; pending: number; dropped_by_reason: Record<string, number> };
  discovery: { devices: number; entities: number; areas: number };
}
interface HaState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_updated: string;
}
interface StateChanged {
  entity_id: string;
  new_state: HaState | null;
}
type Row = Record<string, unknown>;

const DB = 'ha';
const changesOf = (messages: readonly WsMessage[]): StateChanged[] =>
  messages.filter((m) => m['type'] === 'event').map((m) => (m['event'] as { data: StateChanged }).data);

describe('the service against a real Home Assistant', () => {
  let influxd: Influxd;
  let ha: RealHa;
  let seeded: SeededHome;
  let admin: AdminCommands;
  let watcher: WsSession;
  let service: ServiceProcess;
  let dataDir: string;
  const health = (): Promise<Health> => service.get<Health>('/health');

  /** Every point written at or after `fromNs`, oldest first. */
  const pointsSince = (fromNs: string): Promise<Row[]> =>
    influxd.select(`SELECT * FROM home_assistant_events WHERE time >= ${fromNs} ORDER BY time`, DB);

  const setState = (entityId: string, state: string, attributes: Record<string, unknown> = {}) =>
    ha.rest('POST', `/api/states/${entityId}`, { state, attributes });
  const call = (domain: string, service: string, entityId: string, data: Record<string, unknown> = {}) =>
    admin.run('call_service', { domain, service, target: { entity_id: entityId }, service_data: data });

  /**
   * Sets a marker entity and waits for its state_changed on the watcher: a window edge. Returns the change, its
   * time in epoch ns and its position in the watcher's messages.
   */
  async function marker(value: string): Promise<{ change: StateChanged; ns: bigint; index: number }> {
    await setState('sensor.homeiq_marker', value);
    const message = await watcher.next((m) => {
      const data = (m['event'] as { data?: StateChanged } | undefined)?.data;
      return data?.entity_id === 'sensor.homeiq_marker' && data.new_state?.state === value;
    });
    const change = (message['event'] as { data: StateChanged }).data;
    const ns = BigInt(isoToEpochNs(change.new_state?.last_updated ?? ''));
    return { change, ns, index: watcher.messages.indexOf(message) };
  }

  beforeAll(async () => {
    influxd = await startInfluxd();
    await influxd.query(`CREATE DATABASE ${DB}`);
    ha = await startRealHa();
    seeded = await seedHome(ha);
    admin = await adminCommands(ha);
    watcher = await ha.session();
    await watcher.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
    dataDir = await mkdtemp(join(tmpdir(), 'homeiq-real-ha-e2e-'));
    const port = await getFreePort();
    service = await startService(
      {
        HOME_ASSISTANT_URL: ha.url,
        HOME_ASSISTANT_TOKEN: ha.token,
        INFLUXDB_URL: influxd.url,
        INFLUXDB_API_VERSION: '1',
        INFLUXDB_DATABASE: DB,
        WEBSOCKET_INGESTION_PORT: String(port),
        DATA_DIR: dataDir,
        BATCH_TIMEOUT: '0.1',
        LOG_LEVEL: 'warn',
      },
      port,
    );
    await waitFor(async () => (await health()).subscription.is_subscribed, 20_000, service.output);
  }, 600_000);

  afterAll(async () => {
    await service.stop('SIGKILL');
    await watcher.close();
    await admin.close();
    await ha.dispose();
    await influxd.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('writes every state change HA fired, once, with its tags and fields; HA history agrees', async () => {
    const start = await marker('start');
    const fromNs = String(start.ns);
    const writtenBefore = (await health()).sink.written;

    await call('input_boolean', 'toggle', 'input_boolean.away_mode');
    await call('input_number', 'set_value', 'input_number.setpoint', { value: 21.5 }); // + the template sensor
    await call('input_select', 'select_option', 'input_select.house_mode', { option: 'vacances à la mer' });
    const note = 'Grüße, 世界 🌍 "quoted" back\\slash, comma=equals';
    await call('input_text', 'set_value', 'input_text.note', { value: note });
    await setState('sensor.homeiq_power', '1234.5', {
      unit_of_measurement: 'W',
      device_class: 'power',
      friendly_name: 'Probe "power"',
    });
    await setState('sensor.homeiq_power', '-0.001', { unit_of_measurement: 'W', device_class: 'power' });
    await setState('sensor.homeiq_power', 'unavailable', { unit_of_measurement: 'W', device_class: 'power' });
    await setState('binary_sensor.homeiq_door', 'on', { device_class: 'door' });
    await setState('binary_sensor.homeiq_door', 'on', { device_class: 'door', battery: 80 }); // attributes only
    await setState('binary_sensor.homeiq_door', 'off', { device_class: 'door', battery: 80 });
    await setState('sensor.homeiq_unicode', 'Zürich 🌡️ 温度 ½');
    const long = 'ABCDEFGHIJ'.repeat(25) + 'KLMNO'; // 255 characters, HA's maximum
    await setState('sensor.homeiq_long', long);
    await ha.rest('DELETE', '/api/states/sensor.homeiq_unicode');
    const end = await marker('end');
    const toNs = String(end.ns);

    // What HA fired, seen by our own subscription, between the markers (both included). HA fires events in
    // time order on one loop, so message order is time order.
    // Only the entities this test touches: anything else HA does meanwhile (demo entities) is not compared.
    const expectedIds = [
      ...[
        'sensor.homeiq_marker',
        'input_boolean.away_mode',
        'input_number.setpoint',
        'sensor.doubled_setpoint',
      ],
      ...['input_select.house_mode', 'sensor.house_mode_label', 'input_text.note'],
      ...Array<string>(3).fill('sensor.homeiq_power'),
      ...Array<string>(3).fill('binary_sensor.homeiq_door'),
      ...['sensor.homeiq_unicode', 'sensor.homeiq_long', 'sensor.homeiq_unicode', 'sensor.homeiq_marker'],
    ];
    const touched = new Set(expectedIds);
    const fired = changesOf(watcher.messages.slice(start.index, end.index + 1)).filter((c) =>
      touched.has(c.entity_id),
    );
    expect(fired.map((c) => c.entity_id).sort()).toEqual(expectedIds.sort());
    const windowed = async (): Promise<Row[]> =>
      (await pointsSince(fromNs)).filter(
        (row) => BigInt(String(row['time'])) <= BigInt(toNs) && touched.has(String(row['entity_id'])),
      );
    await waitFor(async () => (await windowed()).length >= fired.length, 20_000, service.output);
    const points = await windowed();

    // Once each: same (entity, time) pairs, same states.
    const key = (entityId: unknown, ns: unknown): string => `${String(entityId)}@${String(ns)}`;
    const live = fired.filter((change) => change.new_state !== null);
    expect(
      points
        .filter((p) => p['state'] !== '<removed>')
        .map((p) => key(p['entity_id'], p['time']))
        .sort(),
    ).toEqual(live.map((c) => key(c.entity_id, isoToEpochNs(c.new_state?.last_updated ?? ''))).sort());
    const byKey = new Map(points.map((p) => [key(p['entity_id'], p['time']), p]));
    for (const change of live) {
      const point = byKey.get(key(change.entity_id, isoToEpochNs(change.new_state?.last_updated ?? '')));
      expect(point?.['state']).toBe(change.new_state?.state);
      expect(point?.['domain']).toBe(change.entity_id.split('.')[0]);
    }
    const removed = points.filter((p) => p['state'] === '<removed>').map((p) => p['entity_id']);
    expect(removed).toEqual(['sensor.homeiq_unicode']);
    expect((await health()).sink.written - writtenBefore).toBeGreaterThanOrEqual(fired.length);

    // Tags and fields of the chosen values.
    const pointOf = (entityId: string, state: string): Row | undefined =>
      points.find((p) => p['entity_id'] === entityId && p['state'] === state);
    expect(pointOf('sensor.homeiq_power', '1234.5')).toMatchObject({
      domain: 'sensor',
      value: 1234.5,
      unit_of_measurement: 'W',
      device_class: 'power',
      friendly_name: 'Probe "power"',
    });
    expect(pointOf('sensor.homeiq_power', '-0.001')).toMatchObject({ value: -0.001 });
    expect(pointOf('sensor.homeiq_power', 'unavailable')?.['value']).toBeNull();
    expect(pointOf('binary_sensor.homeiq_door', 'off')).toMatchObject({ value: 0, device_class: 'door' });
    expect(pointOf('input_text.note', note)).toBeDefined();
    expect(pointOf('input_select.house_mode', 'vacances à la mer')).toBeDefined();
    expect(pointOf('sensor.homeiq_long', long)).toBeDefined();
    expect(pointOf('sensor.doubled_setpoint', '43.0')).toMatchObject({
      area_id: seeded.entityAreas.get('sensor.doubled_setpoint'),
      platform: 'template',
      unit_of_measurement: '°C',
      device_class: 'temperature',
    });
    const doorPoints = points.filter((p) => p['entity_id'] === 'binary_sensor.homeiq_door');
    expect(doorPoints.map((p) => p['state'])).toEqual(['on', 'on', 'off']);
    expect(JSON.parse(String(doorPoints[1]?.['attributes']))).toMatchObject({ battery: 80 });

    // HA's recorder, read back through /api/history/period: the same (entity, last_updated) pairs. History starts
    // each entity with its state at the window start (stamped with the start time), so the window is taken open
    // at the start; its end_time is exclusive, so it is taken 1 ms past the end marker.
    const entityIds = [...new Set(fired.map((c) => c.entity_id))];
    const historyRows = async (): Promise<HaState[]> => {
      const query = new URLSearchParams({
        filter_entity_id: entityIds.join(','),
        end_time: epochNsToIso(String(end.ns + 1_000_000n)),
        significant_changes_only: '0',
      });
      const startIso = start.change.new_state?.last_updated ?? '';
      const history = await ha.rest<HaState[][]>(
        'GET',
        `/api/history/period/${encodeURIComponent(startIso)}?${query.toString()}`,
      );
      return history.flat().filter((s) => BigInt(isoToEpochNs(s.last_updated)) > start.ns);
    };
    const removal = watcher.messages
      .slice(start.index, end.index + 1)
      .map((m) => m['event'] as { data: StateChanged; time_fired: string } | undefined)
      .find((e) => e?.data.new_state === null);
    const expected = [
      ...live.slice(1).map((c) => key(c.entity_id, isoToEpochNs(c.new_state?.last_updated ?? ''))),
      key(removal?.data.entity_id, isoToEpochNs(removal?.time_fired ?? '')),
    ].sort();
    await waitFor(async () => (await historyRows()).length >= expected.length, 15_000);
    const rows = await historyRows();
    expect(rows.map((s) => key(s.entity_id, isoToEpochNs(s.last_updated))).sort()).toEqual(expected);
    // The recorder keeps a removal as a row of its own, with an empty state, stamped with the event's time.
    expect(rows.filter((s) => s.entity_id === 'sensor.homeiq_unicode').map((s) => s.state)).toEqual([
      'Zürich 🌡️ 温度 ½',
      '',
    ]);
  });

  it("discovers HA's devices, entities, areas and floors", async () => {
    const devices = (await admin.run('config/device_registry/list')) as HaDevice[];
    const entities = (await admin.run('config/entity_registry/list')) as HaEntity[];
    const areas = (await admin.run('config/area_registry/list')) as HaArea[];
    const floors = (await admin.run('config/floor_registry/list')) as { floor_id: string; name: string }[];
    await waitFor(
      async () => (await health()).discovery.entities === entities.length,
      10_000,
      service.output,
    );
    expect((await health()).discovery).toMatchObject({
      devices: devices.length,
      entities: entities.length,
      areas: areas.length,
    });

    const served = await service.get<{ entities: ServedEntity[]; count: number }>(
      '/api/entities?limit=10000',
    );
    expect(served.entities.map((e) => e.entity_id).sort()).toEqual(entities.map((e) => e.entity_id).sort());
    const deviceArea = new Map(devices.map((d) => [d.id, d.area_id]));
    const effectiveArea = (e: HaEntity): string | null =>
      e.area_id ?? (e.device_id === null ? null : (deviceArea.get(e.device_id) ?? null));
    const servedById = new Map(served.entities.map((e) => [e.entity_id, e]));
    for (const entity of entities) {
      expect(servedById.get(entity.entity_id)).toMatchObject({
        device_id: entity.device_id,
        platform: entity.platform,
        area_id: effectiveArea(entity),
        disabled: entity.disabled_by !== null,
      });
    }
    // What the seed placed: a device's entities inherit its area; an entity's own area wins.
    for (const [deviceId, areaId] of seeded.deviceAreas) {
      const ofDevice = served.entities.filter((e) => e.device_id === deviceId);
      expect(ofDevice.length).toBeGreaterThan(0);
      for (const entity of ofDevice) expect(entity.area_id).toBe(areaId);
    }
    expect(servedById.get('sensor.doubled_setpoint')?.area_id).toBe(
      seeded.entityAreas.get('sensor.doubled_setpoint'),
    );

    const servedDevices = await service.get<{ devices: ServedDevice[] }>('/api/devices?limit=1000');
    expect(servedDevices.devices.map((d) => [d.device_id, d.area_id]).sort()).toEqual(
      devices.map((d) => [d.id, d.area_id]).sort(),
    );
    const hub = servedDevices.devices.find((d) => d.name === 'HomeIQ Hub');
    expect(hub).toMatchObject({ manufacturer: 'HomeIQ Labs', model: 'Hub One', sw_version: '1.2.3' });

    const servedAreas = await service.get<{ areas: ServedArea[] }>('/api/areas');
    const floorName = new Map(floors.map((f) => [f.floor_id, f.name]));
    expect(servedAreas.areas.map((a) => [a.area_id, a.name, a.floor_id, a.floor_name]).sort()).toEqual(
      areas
        .map((a) => [a.area_id, a.name, a.floor_id, a.floor_id === null ? null : floorName.get(a.floor_id)])
        .sort(),
    );
    expect([...seeded.areaFloors].sort()).toEqual(areas.map((a) => [a.area_id, a.floor_id]).sort());
  });

  it('shows a registry change (move to an area, new entity_id) in /api/entities within seconds', async () => {
    const entityOf = async (entityId: string): Promise<ServedEntity | undefined> =>
      (await service.get<{ entities: ServedEntity[] }>('/api/entities?limit=10000')).entities.find(
        (e) => e.entity_id === entityId,
      );
    await admin.run('config/entity_registry/update', {
      entity_id: 'input_number.fan_speed',
      area_id: 'kitchen',
    });
    await waitFor(async () => (await entityOf('input_number.fan_speed'))?.area_id === 'kitchen', 10_000);

    await admin.run('config/entity_registry/update', {
      entity_id: 'input_number.fan_speed',
      new_entity_id: 'input_number.kitchen_fan_speed',
    });
    await waitFor(async () => (await entityOf('input_number.kitchen_fan_speed')) !== undefined, 10_000);
    expect(await entityOf('input_number.fan_speed')).toBeUndefined();
    expect((await entityOf('input_number.kitchen_fan_speed'))?.area_id).toBe('kitchen');

    // HA re-adds the state under the new id (a removal and an addition), then the next change follows: the
    // points carry the new id and the area.
    await call('input_number', 'set_value', 'input_number.kitchen_fan_speed', { value: 77 });
    const rowsOf = (entityId: string): Promise<Row[]> =>
      influxd.select(`SELECT * FROM home_assistant_events WHERE entity_id = '${entityId}' ORDER BY time`, DB);
    await waitFor(
      async () => (await rowsOf('input_number.kitchen_fan_speed')).some((r) => r['state'] === '77.0'),
      10_000,
      service.output,
    );
    const renamed = await rowsOf('input_number.kitchen_fan_speed');
    expect(renamed.map((r) => r['state'])).toEqual(['42.0', '77.0']);
    // The re-added state comes with the registry event, before the service's debounced refetch of the entity
    // list, so that first point has no area yet (reported in the issue note); the next one has it.
    expect(renamed.at(-1)?.['area_id']).toBe('kitchen');
    expect((await rowsOf('input_number.fan_speed')).at(-1)?.['state']).toBe('<removed>');
  });

  it('survives an HA restart: reconnects, re-authenticates, resubscribes once and resyncs the gap', async () => {
    const before = await health();
    expect(before.connection.successful_connections).toBe(1);
    await call('input_number', 'set_value', 'input_number.setpoint', { value: 25.5 }); // initial: 20 on restart
    await waitFor(
      async () =>
        (await pointsSince('0')).some(
          (p) => p['entity_id'] === 'input_number.setpoint' && p['state'] === '25.5',
        ),
      10_000,
    );
    await watcher.close();
    await ha.stop();
    await waitFor(
      async () => (await health()).connection.current_state !== 'connected',
      15_000,
      service.output,
    );

    await ha.start();
    await waitFor(
      async () => {
        const h = await health();
        return h.connection.current_state === 'connected' && h.connection.gaps_resynced >= 1;
      },
      60_000,
      service.output,
    );
    const after = await health();
    expect(after.connection.successful_connections).toBe(2);
    expect(after.connection.gaps_resynced).toBe(before.connection.gaps_resynced + 1);

    // The gap: every state HA has now is in InfluxDB at its last_updated, live or resynced.
    const states = (await (await ha.session()).command({ id: 1, type: 'get_states' }))['result'] as HaState[];
    const setpoint = states.find((s) => s.entity_id === 'input_number.setpoint');
    expect(setpoint?.state).toBe('20.0');
    await waitFor(
      async () => {
        const points = await pointsSince('0');
        const have = new Set(points.map((p) => `${String(p['entity_id'])}@${String(p['time'])}`));
        return states.every((s) => have.has(`${s.entity_id}@${isoToEpochNs(s.last_updated)}`));
      },
      20_000,
      service.output,
    );
    const [latest] = await influxd.select(
      `SELECT state, resync FROM home_assistant_events WHERE entity_id = 'input_number.setpoint' ORDER BY time DESC LIMIT 1`,
      DB,
    );
    expect(latest?.['state']).toBe('20.0');
    // States set through the REST API do not survive a restart: the resync writes their removal.
    const [power] = await influxd.select(
      `SELECT state, resync FROM home_assistant_events WHERE entity_id = 'sensor.homeiq_power' ORDER BY time DESC LIMIT 1`,
      DB,
    );
    expect(power).toMatchObject({ state: '<removed>', resync: true });

    // Subscribed once: one HA event is received once.
    watcher = await ha.session();
    await watcher.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
    const received = (await health()).subscription.total_events_received;
    const probe = await marker('after-restart');
    await waitFor(async () => (await health()).subscription.total_events_received >= received + 1, 10_000);
    await new Promise((done) => setTimeout(done, 500)); // a duplicate subscription would deliver within this
    const fired = changesOf(watcher.messages.slice(probe.index)).length;
    expect((await health()).subscription.total_events_received - received).toBe(fired);
  });
});

interface HaDevice {
  id: string;
  area_id: string | null;
}
interface HaEntity {
  entity_id: string;
  device_id: string | null;
  area_id: string | null;
  platform: string;
  disabled_by: string | null;
}
interface HaArea {
  area_id: string;
  name: string;
  floor_id: string | null;
}
interface ServedEntity {
  entity_id: string;
  device_id: string | null;
  area_id: string | null;
}
interface ServedDevice {
  device_id: string;
  name: string;
  area_id: string | null;
  manufacturer: string;
  model: string;
  sw_version: string | null;
}
interface ServedArea {
  area_id: string;
  name: string;
  floor_id: string | null;
  floor_name: string | null;
}
