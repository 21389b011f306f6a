import { waitFor } from '@homeiq/testing';
import { isoToEpochNs } from '../testing-internal/ha-time.js';
import { openWsSession } from '../ws-session.js';
import { DB, startServiceStack, type HaState, type ServiceStack } from '../testing-internal/service-stack.js';

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
    // HA's restart already fired every current state live; the removal comes with the gap's fill, which first waits
    // for the recorder's commit: wait for it rather than for the states.
    const latestPower = async () =>
      (
        await stack.influxd.select(
          `SELECT state, resync, backfill FROM home_assistant_events WHERE entity_id = 'sensor.homeiq_power' ORDER BY time DESC LIMIT 1`,
          DB,
        )
      )[0];
    await waitFor(async () => (await latestPower())?.['state'] === '<removed>', 20_000, stack.service.output);
    const power = await latestPower();
    // The recorder keeps no row for a REST state HA forgets at its restart: the removal is a final-state point.
    expect(power).toMatchObject({ state: '<removed>', resync: true });

    // Subscribed once: HA's one marker change reaches the pipeline once; a duplicate subscription would deliver
    // it twice. The live stream, filtered to the marker, shows what the pipeline ingested, and unlike a count of
    // all events it cannot be disturbed by a demo entity changing meanwhile.
    await stack.rewatch();
    const live = await openWsSession(`${stack.service.url.replace(/^http/, 'ws')}/ws`);
    try {
      live.send({ type: 'subscribe', entity_ids: ['sensor.homeiq_marker'] });
      await live.next((m) => m['type'] === 'subscribed');
      await stack.marker('after-restart');
      const copies = (): number =>
        live.messages
          .flatMap((m) => (m['type'] === 'events' ? (m['events'] as { state?: unknown }[]) : []))
          .filter((event) => event.state === 'after-restart').length;
      await waitFor(async () => Promise.resolve(copies() >= 1), 10_000);
      await new Promise((done) => setTimeout(done, 500)); // a duplicate would arrive within this
      expect(copies()).toBe(1);
    } finally {
      await live.close();
    }
  });
});
