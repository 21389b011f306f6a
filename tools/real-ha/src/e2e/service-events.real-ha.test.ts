import { waitFor } from '@homeiq/testing';
import { epochNsToIso, isoToEpochNs } from '../testing-internal/ha-time.js';
import {
  changesOf,
  startServiceStack,
  type HaState,
  type Row,
  type ServiceStack,
  type StateChanged,
} from '../testing-internal/service-stack.js';

/**
 * The built service as a real process, against a real Home Assistant 2025.1 and a real InfluxDB 2.8: every state
 * change HA fired is in InfluxDB once, with its tags and fields, and HA's own history agrees.
 */
describe('the service against a real Home Assistant', () => {
  let stack: ServiceStack;
  beforeAll(async () => {
    stack = await startServiceStack();
  }, 600_000);
  afterAll(async () => {
    await stack.dispose();
  }, 120_000);

  it('writes every state change HA fired, once, with its tags and fields; HA history agrees', async () => {
    const start = await stack.marker('start');
    const fromNs = String(start.ns);
    const writtenBefore = (await stack.health()).sink.written;

    await stack.call('input_boolean', 'toggle', 'input_boolean.away_mode');
    await stack.call('input_number', 'set_value', 'input_number.setpoint', { value: 21.5 }); // + the template sensor
    await stack.call('input_select', 'select_option', 'input_select.house_mode', {
      option: 'vacances à la mer',
    });
    const note = 'Grüße, 世界 🌍 "quoted" back\\slash, comma=equals';
    await stack.call('input_text', 'set_value', 'input_text.note', { value: note });
    await stack.setState('sensor.homeiq_power', '1234.5', {
      unit_of_measurement: 'W',
      device_class: 'power',
      friendly_name: 'Probe "power"',
    });
    await stack.setState('sensor.homeiq_power', '-0.001', {
      unit_of_measurement: 'W',
      device_class: 'power',
    });
    await stack.setState('sensor.homeiq_power', 'unavailable', {
      unit_of_measurement: 'W',
      device_class: 'power',
    });
    await stack.setState('binary_sensor.homeiq_door', 'on', { device_class: 'door' });
    await stack.setState('binary_sensor.homeiq_door', 'on', { device_class: 'door', battery: 80 }); // attributes only
    await stack.setState('binary_sensor.homeiq_door', 'off', { device_class: 'door', battery: 80 });
    await stack.setState('sensor.homeiq_unicode', 'Zürich 🌡️ 温度 ½');
    const long = 'ABCDEFGHIJ'.repeat(25) + 'KLMNO'; // 255 characters, HA's maximum
    await stack.setState('sensor.homeiq_long', long);
    await stack.ha.rest('DELETE', '/api/states/sensor.homeiq_unicode');
    const end = await stack.marker('end');
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
    const fired = changesOf(stack.watcher.messages.slice(start.index, end.index + 1)).filter((c) =>
      touched.has(c.entity_id),
    );
    expect(fired.map((c) => c.entity_id).sort()).toEqual(expectedIds.sort());
    const windowed = async (): Promise<Row[]> =>
      (await stack.pointsSince(fromNs)).filter(
        (row) => BigInt(String(row['time'])) <= BigInt(toNs) && touched.has(String(row['entity_id'])),
      );
    await waitFor(async () => (await windowed()).length >= fired.length, 20_000, stack.service.output);
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
    expect((await stack.health()).sink.written - writtenBefore).toBeGreaterThanOrEqual(fired.length);

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
      area_id: stack.seeded.entityAreas.get('sensor.doubled_setpoint'),
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
      const history = await stack.ha.rest<HaState[][]>(
        'GET',
        `/api/history/period/${encodeURIComponent(startIso)}?${query.toString()}`,
      );
      return history.flat().filter((s) => BigInt(isoToEpochNs(s.last_updated)) > start.ns);
    };
    const removal = stack.watcher.messages
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
});
