import { createHomeModel, startHaSim, type HaSim } from '../index.js';
import { TestClient, type Message } from '../testing-internal/test-client.js';

const isEvent = (message: Message): boolean => message.type === 'event';

describe('startHaSim: auth, subscribe, states', () => {
  let sim: HaSim;
  const clients: TestClient[] = [];
  beforeEach(async () => {
    sim = await startHaSim({ home: { entities: 40, seed: 7 } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await sim.close();
  });

  it('authenticates and streams state_changed events consistent with get_states', async () => {
    const client = await TestClient.authed(sim.wsUrl, sim.token);
    clients.push(client);
    expect(client.messages[0]).toEqual({ type: 'auth_required', ha_version: '2025.1.2' });
    expect(client.messages[1]).toEqual({ type: 'auth_ok', ha_version: '2025.1.2' });
    expect(await client.command({ id: 5, type: 'subscribe_events', event_type: 'state_changed' })).toEqual({
      id: 5,
      type: 'result',
      success: true,
      result: null,
    });
    const sent = sim.emitStateChanges(25);
    expect(sent).toBeGreaterThan(0);
    const events = await client.waitFor(sent, isEvent);
    const states = await client.command({ id: 6, type: 'get_states' });
    const byId = new Map(
      (states['result'] as { entity_id: string }[]).map((state) => [state.entity_id, state]),
    );
    const last = new Map<string, unknown>();
    for (const event of events) {
      expect(event.id).toBe(5);
      const data = (event['event'] as { data: { entity_id: string; new_state: unknown } }).data;
      last.set(data.entity_id, data.new_state);
    }
    for (const [entityId, newState] of last) {
      if (newState === null) expect(byId.has(entityId)).toBe(false);
      else expect(byId.get(entityId)).toEqual(newState);
    }
  });
});

describe('startHaSim options', () => {
  it('are validated with clear messages', async () => {
    await expect(startHaSim({ port: -1 })).rejects.toThrow(
      'Expected `port` to be an integer >= 0, got `-1` (number)',
    );
    await expect(startHaSim({ authTimeoutMs: 0 })).rejects.toThrow(
      'Expected `authTimeoutMs` to be an integer >= 1',
    );
    await expect(startHaSim({ maxPendingMessages: 100 })).rejects.toThrow(
      'Expected `pendingPeakMessages` to be below `maxPendingMessages` (100), got `1024` (number)',
    );
    await expect(startHaSim({ token: '' })).rejects.toThrow('Expected `token` to be a non-empty string');
  });

  it('serves a prepared model, and detaches from it on close', async () => {
    const home = createHomeModel({ entities: 12, seed: 8 });
    const sim = await startHaSim({ home });
    try {
      expect(sim.home).toBe(home);
      const client = await TestClient.authed(sim.wsUrl, sim.token);
      await client.command({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
      expect(home.randomChanges(5)).toBeGreaterThan(0);
      await client.waitFor(1, isEvent);
      await client.close();
    } finally {
      // Also on failure: a listening simulator keeps jest from exiting (close() also cuts the client's socket).
      await sim.close();
    }
    expect(home.randomChanges(5)).toBeGreaterThan(0); // no simulator listening any more: nothing breaks
  });
});
