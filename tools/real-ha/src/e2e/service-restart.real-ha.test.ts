import { waitFor } from '@homeiq/testing';
import { isoToEpochNs } from '../testing-internal/ha-time.js';
import {
  changesOf,
  DB,
  startServiceStack,
  type HaState,
  type ServiceStack,
} from '../testing-internal/service-stack.js';

/**
 * A real Home Assistant restart: the service reconnects, re-authenticates, subscribes once again, and the gap is
 * resynced (every state HA has afterwards is in InfluxDB at its last_updated, removals included).
 */
describe('the service against a real Home Assistant', () => {
  let stack: ServiceStack;
  beforeAll(async () => {
    stack = await startServiceStack();
  }, 600_000);
  afterAll(async () => {
    await stack.dispose();
  }, 120_000);

  it('survives an HA restart: reconnects, re-authenticates, resubscribes once and resyncs the gap', async () => {
    const before = await stack.health();
    expect(before.connection.successful_connections).toBe(1);
    await stack.call('input_number', 'set_value', 'input_number.setpoint', { value: 25.5 }); // initial: 20 on restart
    await stack.setState('sensor.homeiq_power', '1234.5', { unit_of_measurement: 'W' }); // gone after a restart
    await waitFor(
      async () =>
        (await stack.pointsSince('0')).some(
          (p) => p['entity_id'] === 'sensor.homeiq_power' && p['state'] === '1234.5',
        ),
      10_000,
    );
    await stack.ha.stop();
    await waitFor(
      async () => (await stack.health()).connection.current_state !== 'connected',
      15_000,
      stack.service.output,
    );

    await stack.ha.start();
    await waitFor(
      async () => {
        const h = await stack.health();
        return h.connection.current_state === 'connected' && h.connection.gaps_resynced >= 1;
      },
      60_000,
      stack.service.output,
    );
    const after = await stack.health();
    expect(after.connection.successful_connections).toBe(2);
    expect(after.connection.gaps_resynced).toBe(before.connection.gaps_resynced + 1);

    // The gap: every state HA has now is in InfluxDB at its last_updated, live or resynced.
    const session = await stack.ha.session();
    const states = (await session.command({ id: 1, type: 'get_states' }))['result'] as HaState[];
    await session.close();
    const setpoint = states.find((s) => s.entity_id === 'input_number.setpoint');
    expect(setpoint?.state).toBe('20.0');
    await waitFor(
      async () => {
        const points = await stack.pointsSince('0');
        const have = new Set(points.map((p) => `${String(p['entity_id'])}@${String(p['time'])}`));
        return states.every((s) => have.has(`${s.entity_id}@${isoToEpochNs(s.last_updated)}`));
      },
      20_000,
      stack.service.output,
    );
    const [latest] = await stack.influxd.select(
      `SELECT state, resync FROM home_assistant_events WHERE entity_id = 'input_number.setpoint' ORDER BY time DESC LIMIT 1`,
      DB,
    );
    expect(latest?.['state']).toBe('20.0');
    // States set through the REST API do not survive a restart: the resync writes their removal.
    const [power] = await stack.influxd.select(
      `SELECT state, resync FROM home_assistant_events WHERE entity_id = 'sensor.homeiq_power' ORDER BY time DESC LIMIT 1`,
      DB,
    );
    expect(power).toMatchObject({ state: '<removed>', resync: true });

    // Subscribed once: one HA event is received once.
    await stack.rewatch();
    const received = (await stack.health()).subscription.total_events_received;
    const probe = await stack.marker('after-restart');
    await waitFor(
      async () => (await stack.health()).subscription.total_events_received >= received + 1,
      10_000,
    );
    await new Promise((done) => setTimeout(done, 500)); // a duplicate subscription would deliver within this
    const fired = changesOf(stack.watcher.messages.slice(probe.index)).length;
    expect((await stack.health()).subscription.total_events_received - received).toBe(fired);
  });
});
