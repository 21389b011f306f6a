/**
 * Fidelity check: Home Assistant's own frontend client library, `home-assistant-js-websocket`, against
 * the simulator. Its own socket code runs (auth phase, supported_features, coalesced frames, reconnect
 * and re-subscribe), with `ws` as the WebSocket implementation under Node. Where this client and the
 * simulator disagree, the simulator is wrong.
 */
import {
  callService,
  createConnection,
  createLongLivedTokenAuth,
  createSocket,
  ERR_INVALID_AUTH,
  getConfig,
  getServices,
  getStates,
  subscribeEntities,
  type Connection,
  type ConnectionOptions,
  type HassEntities,
  type HassEvent,
} from 'home-assistant-js-websocket';
import WebSocket from 'ws';
import { startHaSim, type HaSim } from './index.js';

/** The library's own createSocket, with `ws` standing in for the browser's WebSocket. */
const createSocketOnWs = (options: ConnectionOptions): ReturnType<typeof createSocket> => {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  return createSocket(options);
};

const connect = (sim: HaSim, token = sim.token): Promise<Connection> =>
  createConnection({ auth: createLongLivedTokenAuth(sim.url, token), createSocket: createSocketOnWs });

describe('home-assistant-js-websocket against the simulator', () => {
  let sim: HaSim;
  let conn: Connection;
  beforeEach(async () => {
    sim = await startHaSim({ home: { entities: 80, seed: 11 }, haVersion: '2025.1.2' });
    conn = await connect(sim);
  });
  afterEach(async () => {
    try {
      conn.close(); // throws if beforeEach failed before the first connection: the simulator must close anyway
    } finally {
      await sim.close();
    }
  });

  it('authenticates and turns on coalescing (supported_features) as the frontend does', async () => {
    await conn.ping(); // handled after the supported_features the library sent right after auth_ok
    expect(conn.haVersion).toBe('2025.1.2');
    expect(conn.connected).toBe(true);
    expect(sim.clients()).toBe(1);
    expect(sim.connections()[0]?.coalescing).toBe(true);
    expect(sim.stats().commandsByType['supported_features']).toBe(1);
  });

  it('getStates, getConfig and getServices', async () => {
    const states = await getStates(conn);
    expect(states).toEqual([...sim.home.states().values()]);
    const config = await getConfig(conn);
    expect(config.version).toBe('2025.1.2');
    expect(config.state).toBe('RUNNING');
    expect(config.unit_system.temperature).toBe('°C');
    const services = await getServices(conn);
    expect(Object.keys(services['light'] ?? {})).toEqual(['turn_on', 'turn_off', 'toggle']);
  });

  it('registry list commands and config entries via sendMessagePromise', async () => {
    const devices = await conn.sendMessagePromise<unknown[]>({ type: 'config/device_registry/list' });
    const entities = await conn.sendMessagePromise<unknown[]>({ type: 'config/entity_registry/list' });
    const areas = await conn.sendMessagePromise<unknown[]>({ type: 'config/area_registry/list' });
    const floors = await conn.sendMessagePromise<unknown[]>({ type: 'config/floor_registry/list' });
    const entries = await conn.sendMessagePromise<{ domain: string }[]>({ type: 'config_entries/get' });
    expect(devices).toEqual(JSON.parse(JSON.stringify(sim.home.devices)));
    expect(entities).toEqual(JSON.parse(JSON.stringify(sim.home.entities)));
    expect(areas).toEqual(JSON.parse(JSON.stringify(sim.home.areas)));
    expect(floors).toEqual(JSON.parse(JSON.stringify(sim.home.floors)));
    expect(entries.map((entry) => entry.domain)).toEqual(sim.home.configEntries.map((entry) => entry.domain));
  });

  it('subscribeEvents receives coalesced state_changed events that match getStates', async () => {
    const events = new Watch<HassEvent[]>([]);
    const unsubscribe = await conn.subscribeEvents<HassEvent>((event) => {
      events.update((list) => [...list, event]);
    }, 'state_changed');
    const framesBefore = sim.stats().framesSent;
    const sent = sim.emitStateChanges(300);
    await events.until((list) => list.length >= sent);
    expect(sim.stats().framesSent - framesBefore).toBeLessThan(sent / 10);
    const latest = new Map<string, unknown>();
    for (const event of events.value) {
      expect(event.event_type).toBe('state_changed');
      expect(event.time_fired).toBe(
        (event.data['new_state'] as { last_updated?: string } | null)?.last_updated ?? event.time_fired,
      );
      latest.set(event.data['entity_id'] as string, event.data['new_state']);
    }
    const states = new Map((await getStates(conn)).map((state) => [state.entity_id, state]));
    for (const [entityId, state] of latest) expect(states.get(entityId) ?? null).toEqual(state);
    await unsubscribe();
    expect(sim.emitStateChanges(10)).toBe(0);
  });

  it('subscribeEntities (subscribe_entities, compressed states and diffs) mirrors the state machine', async () => {
    const entities = new Watch<HassEntities>({});
    // Not unsubscribed: the library's collection would keep a 5 s grace timer; closing the connection ends it.
    subscribeEntities(conn, (next) => {
      entities.update(() => next);
    });
    await entities.until((current) => Object.keys(current).length === sim.home.entityIds().length);
    sim.emitStateChanges(300);
    const light = sim.home.entityIds().find((id) => id.startsWith('light.'))!;
    sim.setState(light, 'unavailable');
    await entities.until((current) => current[light]?.state === 'unavailable');
    // The library rebuilds ISO times from float seconds (millisecond precision): compare instants.
    const expected = [...sim.home.states().values()].map(comparable);
    expect(Object.values(entities.value).map(comparable)).toEqual(expected);
  });

  it('callService changes a state with the caller as user', async () => {
    const light = sim.home.entityIds().find((id) => id.startsWith('light.'))!;
    const wanted = sim.home.getState(light)?.state === 'on' ? 'turn_off' : 'turn_on';
    const result = (await callService(conn, 'light', wanted, undefined, { entity_id: light })) as {
      context: { user_id: string };
    };
    expect(result.context.user_id).toBe(sim.home.userIds[0]);
    expect(sim.home.getState(light)?.state).toBe(wanted === 'turn_on' ? 'on' : 'off');
  });

  it('reconnects after the connection drops and re-subscribes by itself', async () => {
    const events = new Watch(0);
    await conn.subscribeEvents<HassEvent>(() => {
      events.update((count) => count + 1);
    }, 'state_changed');
    const ready = new Promise<void>((resolve) => {
      conn.addEventListener('ready', () => {
        resolve();
      });
    });
    sim.dropConnections();
    await ready; // the library sent its subscriptions again while getting ready
    await conn.ping(); // commands are handled in order: the re-subscription is in place
    expect(sim.connections().map((connection) => connection.subscriptions)).toEqual([1]);
    const sent = sim.emitStateChanges(20);
    await events.until((count) => count >= sent);
    expect(sim.stats().connectionsAccepted).toBe(2);
  });
});

it('home-assistant-js-websocket does not ask an HA older than 2022.9 for coalescing, and still works', async () => {
  const sim = await startHaSim({ home: { entities: 10 }, haVersion: '2022.8.7' });
  let conn: Connection | undefined;
  try {
    conn = await connect(sim);
    expect((await getStates(conn)).length).toBe(10);
    expect(sim.connections()[0]?.coalescing).toBe(false);
    expect(sim.stats().commandsByType['supported_features']).toBeUndefined();
  } finally {
    // Also on failure, connection first: left open, the library would keep reconnecting to the closed simulator.
    conn?.close();
    await sim.close();
  }
});

it('home-assistant-js-websocket reports ERR_INVALID_AUTH for a wrong token', async () => {
  const sim = await startHaSim({ home: { entities: 5 } });
  const attempt = connect(sim, 'wrong');
  try {
    await expect(attempt).rejects.toBe(ERR_INVALID_AUTH);
  } finally {
    // Had it connected after all, that connection must close too (it would keep reconnecting).
    await attempt.then(
      (conn) => {
        conn.close();
      },
      () => undefined, // the rejection is what the assertion above checks
    );
    await sim.close();
  }
});

/** A state with its times as epoch milliseconds, without last_reported (compressed states have none). */
function comparable(state: {
  entity_id: string;
  state: string;
  attributes: object;
  context: object;
  last_changed: string;
  last_updated: string;
}): object {
  const ms = (iso: string): number => Math.floor(Date.parse(iso));
  return {
    entity_id: state.entity_id,
    state: state.state,
    attributes: state.attributes,
    context: state.context,
    last_changed: ms(state.last_changed),
    last_updated: ms(state.last_updated),
  };
}

/** A value that callbacks update and tests wait on: event-driven, no polling. */
class Watch<T> {
  #waiters: { predicate: (value: T) => boolean; resolve: () => void }[] = [];
  constructor(public value: T) {}

  update(change: (value: T) => T): void {
    this.value = change(this.value);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.predicate(this.value)) return true;
      waiter.resolve();
      return false;
    });
  }

  until(predicate: (value: T) => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate(this.value)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push({
        predicate,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}
