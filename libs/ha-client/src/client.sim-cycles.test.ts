import { silentLogger, type Clock, type TimerHandle } from '@homeiq/runtime';
import { startHaSim, type HaSim } from '@homeiq/ha-sim';
import WebSocket from 'ws';
import { createHaClient } from './create-client.js';
import type { HaClientOptions } from './options.js';
import { HookRecorder } from './testing-internal/recorder.js';
import type { HaClient } from './types.js';

/** Real sockets and timers; retries nearly immediate so 100 cycles take about a second. */
describe('100 reconnect cycles against tools/ha-sim over real sockets', () => {
  let sim: HaSim;
  let client: HaClient | undefined;
  const recorder = new HookRecorder();

  beforeAll(async () => {
    sim = await startHaSim({ home: { entities: 60, seed: 3 } });
  });

  afterAll(async () => {
    await client?.close();
    await sim.close();
  });

  function start(overrides: Partial<HaClientOptions>): HaClient {
    client = createHaClient({
      url: sim.url,
      accessToken: sim.token,
      logger: silentLogger,
      ...recorder.hooks(),
      ...overrides,
    });
    client.start();
    return client;
  }

  it('100 reconnect cycles: no growth in sockets, timers, listeners or subscriptions', async () => {
    const instances = trackWebSockets();
    const clock = countingClock();
    try {
      const c = start({ clock, heartbeatIntervalMs: 30_000, retryInitialDelayMs: 1, retryMaxDelayMs: 5 });
      for (const type of ['state_changed', 'device_registry_updated', undefined])
        c.subscribeEvents(type, () => undefined);
      await c.whenConnected();
      await c.sendCommand('get_config');
      const baseline = { sockets: await settledSockets(2), timers: clock.live.size };
      expect(baseline.timers).toBe(1); // the heartbeat's quiet timer
      for (let i = 0; i < 100; i += 1) {
        const back = recorder.next('onConnected');
        if (i % 2 === 0) sim.dropConnections(1012);
        else sim.terminateConnections();
        await back;
      }
      await c.sendCommand('get_config'); // HA handles commands in order: the resubscribes are done
      expect(c.stats()).toMatchObject({ subscriptions: { total: 3, active: 3 }, pendingCommands: 0 });
      expect(
        sim
          .connections()
          .filter((conn) => conn.authenticated)
          .map((conn) => conn.subscriptions),
      ).toContain(3);
      expect(clock.live.size).toBe(baseline.timers);
      expect(await settledSockets(baseline.sockets)).toBe(baseline.sockets); // client + server side of one link
      const old = [...instances].slice(0, -1);
      expect(old.length).toBeGreaterThanOrEqual(100);
      for (const ws of old) {
        expect(ws.readyState).toBe(WebSocket.CLOSED);
        expect([ws.listenerCount('message'), ws.listenerCount('open'), ws.listenerCount('close')]).toEqual([
          0, 0, 0,
        ]);
        expect(ws.listenerCount('error')).toBe(1); // kept on purpose: ws would throw an unhandled 'error'
      }
    } finally {
      instances.restore();
    }
  }, 20_000);
});

/** The system clock, counting the timers the client has scheduled and not yet seen fire or cleared. */
function countingClock(): Clock & { readonly live: Set<TimerHandle> } {
  const live = new Set<TimerHandle>();
  return {
    live,
    now: () => Date.now(),
    setTimeout: (callback, delayMs) => {
      const handle = setTimeout(() => {
        live.delete(handle);
        callback();
      }, delayMs);
      live.add(handle);
      return handle;
    },
    clearTimeout: (handle) => {
      live.delete(handle);
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}

/** Open TCP sockets in this process once closing ones have finished (up to 2 s), from Node's resource list. */
async function settledSockets(expected: number): Promise<number> {
  const count = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
  for (let waited = 0; waited < 2_000 && count() !== expected; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return count();
}

/** Records every `ws` client instance the library creates (they all register listeners with `on`). */
function trackWebSockets(): Set<WebSocket> & { restore(): void } {
  const seen = new Set<WebSocket>() as Set<WebSocket> & { restore(): void };
  const original = WebSocket.prototype.on;
  WebSocket.prototype.on = function on(this: WebSocket, ...args: Parameters<typeof original>) {
    if (!(this as unknown as { _isServer: boolean })._isServer) seen.add(this);
    return original.apply(this, args);
  } as typeof original;
  seen.restore = () => {
    WebSocket.prototype.on = original;
  };
  return seen;
}
