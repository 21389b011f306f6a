import { silentLogger } from '@homeiq/runtime';
import { startHaSim, type HaSim } from '@homeiq/ha-sim';
import { createHaClient } from './create-client.js';
import type { HaClientOptions } from './options.js';
import type { HaEvent } from './protocol/event.js';
import { collect, HookRecorder } from './testing-internal/recorder.js';
import type { HaClient } from './types.js';

/** Real sockets on loopback, real timers: deadlines are short so the suite stays fast. */
const FAST: Partial<HaClientOptions> = {
  retryInitialDelayMs: 20,
  retryMaxDelayMs: 300,
  connectTimeoutMs: 1_000,
  authTimeoutMs: 500,
  commandTimeoutMs: 5_000,
  // Only the half-open test needs a fast heartbeat; elsewhere a busy CI machine must not fake a dead link.
  heartbeatIntervalMs: 30_000,
  circuitCooldownMs: 100,
  logger: silentLogger,
};

describe('against tools/ha-sim over real sockets', () => {
  let sim: HaSim;
  let client: HaClient | undefined;
  let recorder: HookRecorder;

  beforeEach(async () => {
    sim = await startHaSim({ home: { entities: 60, seed: 3 } });
    recorder = new HookRecorder();
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await sim.close();
  });

  function start(overrides: Partial<HaClientOptions> = {}): HaClient {
    client = createHaClient({
      url: sim.url,
      accessToken: sim.token,
      ...FAST,
      ...recorder.hooks(),
      ...overrides,
    });
    client.start();
    return client;
  }

  it('connects, negotiates coalescing, streams every event once, answers get_states and get_config', async () => {
    const c = start();
    const received: HaEvent[] = [];
    c.subscribeEvents('state_changed', (e) => received.push(e));
    await c.whenConnected();
    await recorder.next('onHaLifecycle');
    await c.sendCommand('get_config'); // the subscribe, sent after the lifecycle's get_config, is in place
    expect(sim.connections()[0]).toMatchObject({ authenticated: true, coalescing: true, subscriptions: 1 });
    const sent = sim.emitStateChanges(200);
    expect(sent).toBe(200);
    const states = (await c.sendCommand('get_states')) as { entity_id: string }[];
    expect(states.length).toBeGreaterThan(0);
    expect(received).toHaveLength(sent); // get_states was answered after every queued event
    expect(received.every((e) => e.eventType === 'state_changed' && typeof e.context.id === 'string')).toBe(
      true,
    );
    const simStats = sim.stats();
    expect(simStats.framesSent).toBeLessThan(simStats.messagesSent); // arrays arrived and were unpacked
    expect(c.stats()).toMatchObject({
      eventsReceived: sent,
      haVersion: '2025.1.2',
      haState: 'RUNNING',
      drops: { invalid_frame: 0, invalid_event: 0 },
    });
  });

  it('a pre-authenticated (Supervisor-style) connection that starts with auth_ok', async () => {
    sim.setAuthMode('no-auth-required');
    const c = start();
    await c.whenConnected();
    expect(sim.stats().authOk).toBe(1);
  });

  it('drop mid-command and mid-subscribe: typed rejection, then one resubscribe on the new socket', async () => {
    const c = start();
    await c.whenConnected();
    sim.dropReplies(['subscribe_events', 'get_states']);
    const received: HaEvent[] = [];
    c.subscribeEvents('state_changed', (e) => received.push(e));
    const inFlight = c.sendCommand('get_states');
    inFlight.catch(() => undefined);
    await c.sendCommand('get_config'); // both frames reached HA and were not answered
    expect(c.stats().subscriptions).toEqual({ total: 1, active: 0, retrying: 0 });
    sim.dropReplies([]);
    sim.terminateConnections();
    await expect(inFlight).rejects.toMatchObject({ code: 'ERR_CONNECTION_LOST' });
    await recorder.next('onGap');
    await c.sendCommand('get_config'); // HA handles commands in order: the resubscribe is in place
    expect(c.stats().subscriptions).toEqual({ total: 1, active: 1, retrying: 0 });
    expect(sim.connections()).toEqual([expect.objectContaining({ subscriptions: 1 })]);
    const sent = sim.emitStateChanges(10);
    await c.sendCommand('get_config');
    expect(received).toHaveLength(sent);
  });

  it('half-open: a frozen connection is detected by the heartbeat and replaced', async () => {
    const c = start({ heartbeatIntervalMs: 250, pongTimeoutMs: 250 });
    const received: HaEvent[] = [];
    c.subscribeEvents('state_changed', (e) => received.push(e));
    await c.whenConnected();
    sim.setHalfOpen(true);
    const disconnected = (await recorder.next('onDisconnected')) as { error: { code: string } };
    expect(disconnected.error.code).toBe('ERR_HEARTBEAT_TIMEOUT');
    await recorder.next('onConnected', (p) => (p as { reconnect: boolean }).reconnect);
    await c.sendCommand('get_config');
    const sent = sim.emitStateChanges(5);
    await c.sendCommand('get_config');
    expect(received).toHaveLength(sent);
    expect(sim.clients()).toBeGreaterThanOrEqual(1);
  });

  it('auth_invalid on the first connect rejects whenConnected, logs one error, waits the maximum delay; fixed token connects on the slow retry', async () => {
    sim.setAuthMode('reject');
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (message: string) => errors.push(message) };
    const c = start({ retryMaxDelayMs: 1000, logger });
    const waiting = c.whenConnected();
    await expect(waiting).rejects.toMatchObject({
      name: 'HaAuthError',
      code: 'ERR_AUTH_INVALID',
      retryable: false,
      haMessage: 'Invalid access token or password',
    });
    // The retry was scheduled (and reported) in the same turn as the rejection.
    expect(recorder.of('onReconnectAttempt')).toEqual([
      expect.objectContaining({
        delayMs: 1000,
        error: expect.objectContaining({ code: 'ERR_AUTH_INVALID' }) as unknown,
      }),
    ]);
    expect(c.state).toBe('auth_invalid');
    // While the token stays rejected, a new wait fails at once instead of hanging.
    await expect(c.whenConnected()).rejects.toMatchObject({ code: 'ERR_AUTH_INVALID' });
    expect(errors).toEqual([
      'Home Assistant rejected the access token: Invalid access token or password; retrying in 1.0 s',
    ]);
    const connected = new Promise((resolve) => c.on('connected', resolve));
    sim.setAuthMode('accept');
    await expect(connected).resolves.toEqual({ haVersion: '2025.1.2', reconnect: false });
    await c.whenConnected();
    expect(sim.stats().authInvalid).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('auth_invalid on a reconnect (token changed during an HA restart)', async () => {
    const c = start({ retryMaxDelayMs: 400 });
    await c.whenConnected();
    sim.setToken('another-token');
    sim.dropConnections(1000);
    const attempt = (await recorder.next(
      'onReconnectAttempt',
      (p) => (p as { error: { code: string } }).error.code === 'ERR_AUTH_INVALID',
    )) as {
      delayMs: number;
    };
    expect(attempt.delayMs).toBe(400);
    expect(c.stats().lastError?.message).not.toContain(sim.token);
  });

  it('auth sent but no auth_ok: the auth phase hits its deadline and is retried', async () => {
    sim.setAuthMode('silent');
    start({ authTimeoutMs: 150 });
    const attempt = (await recorder.next('onReconnectAttempt')) as {
      error: { code: string; message: string };
    };
    expect(attempt.error.code).toBe('ERR_AUTH_TIMEOUT');
    expect(attempt.error.message).toContain('auth_ok');
  });

  it('HA restarting with a new version: reconnects, reports the version and resubscribes exactly once', async () => {
    const c = start();
    const received: HaEvent[] = [];
    c.subscribeEvents('state_changed', (e) => received.push(e));
    c.subscribeEvents(undefined, () => undefined);
    await c.whenConnected();
    const connected = recorder.next(
      'onConnected',
      (p) => (p as { haVersion: string }).haVersion === '2025.2.0',
    );
    await sim.restart({ haVersion: '2025.2.0', downMs: 150 });
    await connected;
    await c.sendCommand('get_config');
    expect(c.stats()).toMatchObject({ haVersion: '2025.2.0', subscriptions: { total: 2, active: 2 } });
    expect(sim.connections()).toEqual([expect.objectContaining({ subscriptions: 2 })]);
    expect(sim.stats().commandsByType['subscribe_events']).toBe(2); // the restarted sim counts afresh
    const gap = recorder.of('onGap')[0] as { fromMs: number; toMs: number };
    expect(gap.toMs - gap.fromMs).toBeGreaterThanOrEqual(150);
    const before = received.length;
    const sent = sim.emitStateChanges(10);
    await c.sendCommand('get_config');
    expect(received.length - before).toBe(sent / 2); // the all-events subscription got the other half
  });

  it('HA not RUNNING yet: reported, subscriptions still in place, RUNNING reported later', async () => {
    sim.setCoreState('STARTING');
    const c = start();
    const received = collect<HaEvent>(1);
    c.subscribeEvents('state_changed', received.push);
    const starting = (await recorder.next('onHaLifecycle')) as { haState: string; running: boolean };
    expect(starting).toEqual({ haVersion: '2025.1.2', haState: 'STARTING', running: false });
    // The lifecycle report may precede the subscribe result; HA answers commands in order.
    await c.sendCommand('get_config');
    sim.emitStateChanges(1);
    await received.done;
    sim.setCoreState('RUNNING');
    const running = recorder.next('onHaLifecycle');
    sim.fireEvent('homeassistant_started', {});
    await expect(running).resolves.toEqual({ haVersion: '2025.1.2', haState: 'RUNNING', running: true });
    expect(c.stats().haState).toBe('RUNNING');
  });
});
