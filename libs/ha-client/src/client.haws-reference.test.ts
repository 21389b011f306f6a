import { silentLogger } from '@homeiq/runtime';
import { startHaSim, type HaSim } from '@homeiq/ha-sim';
import {
  createConnection,
  createLongLivedTokenAuth,
  type Connection,
  type HassEvent,
} from 'home-assistant-js-websocket';
import WebSocket from 'ws';
import { createHaClient } from './create-client.js';
import type { HaEvent } from './protocol/event.js';
import { HookRecorder } from './testing-internal/recorder.js';
import type { HaClient } from './types.js';

/*
 * home-assistant-js-websocket 9.7.0 (the official client, used by HA's frontend) as a reference: on the same
 * simulator, both clients must see exactly the same events, before and after an HA restart. Where the reference
 * is known to fall short (no heartbeat: home-assistant-js-websocket#256), this client must not.
 */

describe('side by side with home-assistant-js-websocket', () => {
  let sim: HaSim;
  let haws: Connection;
  let ours: HaClient;
  let recorder: HookRecorder;
  const hawsEvents: HassEvent[] = [];
  const ourEvents: HaEvent[] = [];

  beforeAll(() => {
    // The reference client expects a browser WebSocket; `ws` provides the same API on Node 20.
    (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  });

  afterAll(() => {
    delete (globalThis as { WebSocket?: unknown }).WebSocket;
  });

  beforeEach(async () => {
    hawsEvents.length = 0;
    ourEvents.length = 0;
    sim = await startHaSim({ home: { entities: 80, seed: 11 } });
    haws = await createConnection({ auth: createLongLivedTokenAuth(sim.url, sim.token) });
    await haws.subscribeEvents<HassEvent>((e) => hawsEvents.push(e), 'state_changed');
    recorder = new HookRecorder();
    ours = createHaClient({
      url: sim.url,
      accessToken: sim.token,
      logger: silentLogger,
      retryInitialDelayMs: 50,
      heartbeatIntervalMs: 300,
      pongTimeoutMs: 300,
      ...recorder.hooks(),
    });
    ours.subscribeEvents('state_changed', (e) => ourEvents.push(e));
    ours.start();
    await ours.whenConnected();
    await ours.sendCommand('get_config'); // our subscribe is in place
  });

  afterEach(async () => {
    haws.close();
    await ours.close();
    await sim.close();
  });

  /** Both clients' events, in HA's wire shape, after both answered a round trip (so both are caught up). */
  async function caughtUp(): Promise<{ reference: unknown[]; mine: unknown[] }> {
    await ours.sendCommand('get_config');
    await haws.sendMessagePromise({ type: 'get_config' });
    return {
      reference: hawsEvents.map((e) => ({ ...e })),
      mine: ourEvents.map((e) => ({
        event_type: e.eventType,
        data: e.data,
        origin: e.origin,
        time_fired: e.timeFired,
        context: { id: e.context.id, parent_id: e.context.parentId, user_id: e.context.userId },
      })),
    };
  }

  it('both opt into coalescing the same way and receive identical events', async () => {
    expect(sim.connections().map((c) => c.coalescing)).toEqual([true, true]);
    sim.emitStateChanges(40);
    const { reference, mine } = await caughtUp();
    expect(reference.length).toBeGreaterThan(0);
    expect(mine).toEqual(reference);
  });

  it('after HA restarts with a new version, both resubscribe and again receive identical events', async () => {
    const hawsReady = new Promise<void>((resolve) => {
      haws.addEventListener('ready', () => {
        resolve();
      });
    });
    const oursBack = recorder.next('onConnected', (p) => (p as { reconnect: boolean }).reconnect);
    await sim.restart({ haVersion: '2025.2.0', downMs: 100 });
    await Promise.all([hawsReady, oursBack]);
    expect(ours.stats().haVersion).toBe(haws.haVersion);
    expect(haws.haVersion).toBe('2025.2.0');
    // onConnected comes once the resubscribe is sent, not handled; HA answers each socket's commands in order.
    await ours.sendCommand('get_config');
    await haws.sendMessagePromise({ type: 'get_config' }); // the reference's resubscribe is in place too
    hawsEvents.length = 0;
    ourEvents.length = 0;
    sim.emitStateChanges(40);
    const { reference, mine } = await caughtUp();
    expect(reference.length).toBeGreaterThan(0);
    expect(mine).toEqual(reference);
    expect(sim.connections().map((c) => c.subscriptions)).toEqual([1, 1]);
  }, 10_000);

  it('a half-open link: this client notices and recovers; the reference has no heartbeat to notice', async () => {
    hawsEvents.length = 0;
    sim.setHalfOpen(true);
    await recorder.next('onConnected', (p) => (p as { reconnect: boolean }).reconnect);
    expect(haws.connected).toBe(true); // still believes the frozen socket is fine
    ourEvents.length = 0;
    await ours.sendCommand('get_config');
    const sent = sim.emitStateChanges(10);
    expect(sent).toBeGreaterThan(0);
    await ours.sendCommand('get_config');
    // Half of the queued messages went to our new socket; the other half sits in the frozen one's queue.
    expect(ourEvents).toHaveLength(sent / 2);
    expect(hawsEvents).toHaveLength(0);
  });
});
