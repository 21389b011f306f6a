import { inspect } from 'node:util';
import { HaAuthError, HaConnectionError } from './errors.js';
import { createHarness, TEST_TOKEN } from './testing-internal/harness.js';

describe('connect and authenticate', () => {
  it('authenticates, enables coalescing first, reads get_config and reports connected', async () => {
    const h = createHarness();
    await h.connect();

    expect(h.client.state).toBe('connected');
    expect(h.ha.last.url).toBe('ws://ha.local:8123/api/websocket');
    const [auth, ...commands] = h.ha.last.received;
    expect(auth).toEqual({ type: 'auth', access_token: TEST_TOKEN });
    expect(commands[0]).toEqual({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } });
    expect(commands[1]).toEqual({ id: 2, type: 'get_config' });
    expect(h.calls('onConnected')).toEqual([{ haVersion: '2025.1.2', reconnect: false }]);
    expect(h.calls('onHaLifecycle')).toEqual([{ haVersion: '2025.1.2', haState: 'RUNNING', running: true }]);
    expect(h.calls('onStateChange').map((c) => (c as { to: string }).to)).toEqual([
      'connecting',
      'connected',
    ]);
    const stats = h.client.stats();
    expect(stats).toMatchObject({
      isRunning: true,
      state: 'connected',
      connectionAttempts: 1,
      successfulConnections: 1,
      failedConnections: 0,
      lastSuccessfulAtMs: h.clock.now(),
      haVersion: '2025.1.2',
      haState: 'RUNNING',
      lastError: null,
    });
  });

  it('does not send supported_features when coalescing is turned off', async () => {
    const h = createHarness({ coalesceMessages: false });
    await h.connect();
    expect(h.ha.last.commands('supported_features')).toEqual([]);
    expect(h.ha.last.coalesce).toBe(false);
  });

  it('accepts a pre-authenticated connection that starts with auth_ok (Supervisor socket)', async () => {
    const h = createHarness();
    h.ha.authMode = 'silent';
    h.client.start();
    await h.clock.advance(0);
    h.ha.last.authed = true;
    h.ha.last.push({ type: 'auth_ok', ha_version: '2025.3.0' });
    await h.clock.advance(0);
    expect(h.client.state).toBe('connected');
    expect(h.calls('onConnected')).toEqual([{ haVersion: '2025.3.0', reconnect: false }]);
  });

  it('start() is idempotent and never throws when HA is unreachable', async () => {
    const h = createHarness();
    h.ha.authMode = 'refuse';
    h.client.start();
    h.client.start();
    await h.clock.advance(0);
    expect(h.ha.connections).toHaveLength(1);
    expect(h.client.state).toBe('reconnecting');
    expect(h.client.stats().lastError).toMatchObject({ code: 'ERR_CANNOT_CONNECT' });
    expect(h.client.stats().lastError?.message).toContain('ECONNREFUSED');
  });

  it('auth_invalid on the first connect: typed error, distinct state, next try only after the maximum delay', async () => {
    const h = createHarness({ retryMaxDelayMs: 300_000 });
    h.ha.authMode = 'reject';
    await h.connect();

    expect(h.client.state).toBe('auth_invalid');
    const change = h.calls('onStateChange').at(-1) as { to: string; error: unknown };
    expect(change.to).toBe('auth_invalid');
    expect(change.error).toBeInstanceOf(HaAuthError);
    expect(change.error).toMatchObject({ code: 'ERR_AUTH_INVALID', retryable: false });
    expect(h.calls('onReconnectAttempt')).toEqual([
      expect.objectContaining({ attempt: 1, maxRetries: -1, delayMs: 300_000 }),
    ]);
    await h.clock.advance(299_999);
    expect(h.ha.connections).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.ha.connections).toHaveLength(2);
  });

  it('auth_invalid on a reconnect (token revoked while HA restarted) also waits the maximum delay', async () => {
    const h = createHarness({ retryMaxDelayMs: 120_000 });
    await h.connect();
    h.ha.token = 'rotated';
    h.ha.last.drop(1000);
    await h.clock.advance(0);
    expect(h.client.state).toBe('reconnecting');
    await h.clock.advance(1_000); // first retry after 1 s
    expect(h.ha.connections).toHaveLength(2);
    expect(h.client.state).toBe('auth_invalid');
    expect(h.calls('onReconnectAttempt').at(-1)).toMatchObject({ attempt: 2, delayMs: 120_000 });
    await h.clock.advance(119_999);
    expect(h.ha.connections).toHaveLength(2);
    h.ha.token = TEST_TOKEN; // the user fixes the token; the slow retry picks it up
    await h.clock.advance(1);
    expect(h.client.state).toBe('connected');
  });

  it('never puts the token into logs, errors, stats, hook payloads or an inspected client', async () => {
    const h = createHarness();
    h.ha.authMode = 'reject';
    await h.connect();
    h.ha.authMode = 'silent';
    await h.clock.advance(300_000 + 10_000);
    h.ha.authMode = 'accept';
    await h.clock.advance(600_000);
    expect(h.client.state).toBe('connected');
    const everything = inspect(
      { logs: h.logs, hooks: h.hooks, stats: h.client.stats(), client: h.client },
      { depth: 20, showHidden: true },
    );
    expect(everything).toContain('ERR_AUTH_INVALID');
    expect(everything).toContain('ERR_AUTH_TIMEOUT');
    expect(everything).not.toContain(TEST_TOKEN);
  });
});

describe('deadlines on every phase (half-open at each step)', () => {
  it('no upgrade reply: the socket is destroyed after connectTimeoutMs and retried', async () => {
    const h = createHarness({ connectTimeoutMs: 5_000 });
    h.ha.authMode = 'no-upgrade';
    await h.connect();
    expect(h.client.state).toBe('connecting');
    await h.clock.advance(4_999);
    expect(h.ha.last.closed).toBe(false);
    await h.clock.advance(1);
    expect(h.ha.last.closedBy).toBe('client-terminate');
    expect(h.client.stats().lastError).toMatchObject({ code: 'ERR_CONNECT_TIMEOUT' });
    expect(h.client.state).toBe('reconnecting');
  });

  it('upgrade but no auth_required: destroyed after authTimeoutMs', async () => {
    const h = createHarness({ authTimeoutMs: 7_000 });
    h.ha.authMode = 'silent';
    await h.connect();
    await h.clock.advance(6_999);
    expect(h.ha.last.closed).toBe(false);
    await h.clock.advance(1);
    expect(h.ha.last.closedBy).toBe('client-terminate');
    const error = h.calls('onReconnectAttempt')[0] as { error: HaConnectionError };
    expect(error.error).toBeInstanceOf(HaConnectionError);
    expect(error.error.code).toBe('ERR_AUTH_TIMEOUT');
    expect(error.error.message).toContain('auth_required');
  });

  it('auth sent but no auth_ok: destroyed after authTimeoutMs', async () => {
    const h = createHarness({ authTimeoutMs: 3_000 });
    h.ha.authMode = 'no-auth-reply';
    await h.connect();
    await h.clock.advance(2_999);
    expect(h.ha.last.closed).toBe(false);
    await h.clock.advance(1);
    expect(h.ha.last.closedBy).toBe('client-terminate');
    expect(h.ha.last.received).toEqual([{ type: 'auth', access_token: TEST_TOKEN }]);
    expect(h.client.stats().lastError?.message).toContain('auth_ok');
    expect(h.client.stats().failedConnections).toBe(1);
  });

  it('a message other than auth_* during auth is a protocol error', async () => {
    const h = createHarness();
    h.ha.authMode = 'silent';
    h.client.start();
    await h.clock.advance(0);
    h.ha.last.push({ type: 'result', id: 1, success: true, result: null });
    await h.clock.advance(0);
    expect(h.client.stats().lastError).toMatchObject({ code: 'ERR_PROTOCOL' });
  });

  it('a socket factory that throws is a failed attempt, not an exception out of start()', async () => {
    const h = createHarness({
      createSocket: () => {
        throw new Error('boom');
      },
    });
    expect(() => {
      h.client.start();
    }).not.toThrow();
    await h.clock.advance(0);
    expect(h.client.stats()).toMatchObject({ failedConnections: 1, state: 'reconnecting' });
  });
});
