import { createHarness } from './testing-internal/harness.js';

describe('connection lifecycle', () => {
  it('reports the gap (from = connection lost, to = resubscribed) after each reconnect, not on the first connect', async () => {
    const gaps: unknown[] = [];
    const snapshots: Promise<unknown>[] = [];
    const h = createHarness({
      // Resync from inside the hook, as the app does: the snapshot is queued behind the resubscribe.
      onGap: (gap) => {
        gaps.push(gap);
        snapshots.push(h.client.sendCommand('get_states'));
      },
    });
    h.client.subscribeEvents('state_changed', () => undefined);
    await h.connect();
    expect(gaps).toEqual([]);
    await h.clock.advance(5_000);
    const lostAt = h.clock.now();
    h.ha.authMode = 'refuse';
    h.ha.last.drop(1006);
    await h.clock.advance(0);
    await h.clock.advance(1_000);
    h.ha.authMode = 'accept';
    let subscribedBeforeSnapshot = 0;
    h.ha.handlers.set('get_states', (m, conn) => {
      subscribedBeforeSnapshot = conn.subscriptions.size;
      conn.result(Number(m['id']), []);
    });
    await h.clock.advance(2_000);
    expect(gaps).toEqual([{ fromMs: lostAt, toMs: h.clock.now() }]);
    expect(h.client.stats().gaps).toBe(1);
    await Promise.all(snapshots);
    expect(subscribedBeforeSnapshot).toBe(1);
    expect(h.calls('onDisconnected')).toEqual([expect.objectContaining({ atMs: lostAt })]);
    expect(h.calls('onConnected').at(-1)).toEqual({ haVersion: '2025.1.2', reconnect: true });
  });

  it('HA restarting with a new version: version reported, subscriptions restored, lifecycle reported', async () => {
    const h = createHarness();
    const seen: unknown[] = [];
    h.client.subscribeEvents('state_changed', (e) => seen.push(e.data));
    await h.connect();
    expect(h.client.stats().haVersion).toBe('2025.1.2');
    h.ha.haVersion = '2025.2.0';
    h.ha.haState = 'STARTING';
    h.ha.last.drop(1000);
    await h.clock.advance(0);
    await h.clock.advance(1_000);
    expect(h.client.stats()).toMatchObject({
      haVersion: '2025.2.0',
      haState: 'STARTING',
      state: 'connected',
    });
    expect(h.calls('onConnected').at(-1)).toEqual({ haVersion: '2025.2.0', reconnect: true });
    expect(h.calls('onHaLifecycle').at(-1)).toEqual({
      haVersion: '2025.2.0',
      haState: 'STARTING',
      running: false,
    });
    // Disconnect, reconnect and "not RUNNING" reach the app through hooks only, never a log line of the lib's.
    expect(h.calls('onDisconnected')).toHaveLength(1);
    expect(h.logs.filter((l) => l.level !== 'debug')).toEqual([]);
    // Subscriptions went in although HA is still starting.
    h.ha.emit('state_changed', 'during start');
    // HA finishes starting: the client hears homeassistant_started and reports RUNNING.
    h.ha.haState = 'RUNNING';
    h.ha.emit('homeassistant_started', {});
    await h.clock.advance(0);
    expect(h.calls('onHaLifecycle').at(-1)).toEqual({
      haVersion: '2025.2.0',
      haState: 'RUNNING',
      running: true,
    });
    expect(h.client.stats().haState).toBe('RUNNING');
    expect(seen).toEqual(['during start']);
    // The internal listener is gone again; only the user's subscription remains on HA.
    expect([...h.ha.last.subscriptions.values()]).toEqual(['state_changed']);
  });

  it('whenConnected resolves on the next connection, supports abort, and rejects on close', async () => {
    const h = createHarness();
    const first = h.client.whenConnected();
    await h.connect();
    await expect(first).resolves.toBeUndefined();
    await expect(h.client.whenConnected()).resolves.toBeUndefined();
    h.ha.last.drop();
    await h.clock.advance(0);
    const controller = new AbortController();
    const aborted = h.client.whenConnected({ signal: controller.signal });
    controller.abort('stop');
    await expect(aborted).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    const onClose = h.client.whenConnected();
    await h.client.close();
    await expect(onClose).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
    expect(() => {
      h.client.start();
    }).toThrow('closed');
  });

  it('a hook that throws is logged and does not break the state machine', async () => {
    const h = createHarness({
      onConnected: () => {
        throw new Error('hook bug');
      },
    });
    await h.connect();
    expect(h.client.state).toBe('connected');
    expect(h.logs).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'Hook onConnected threw' }),
    );
  });

  it('close() stops everything: no attempt, no timer, socket closed politely', async () => {
    const h = createHarness();
    h.client.subscribeEvents('x', () => undefined);
    await h.connect();
    await h.client.close();
    expect(h.ha.last.closedBy).toBe('client');
    expect(h.clock.pendingTimers).toBe(0);
    await h.clock.advance(1_000_000);
    expect(h.ha.connections).toHaveLength(1);
    expect(h.client.stats()).toMatchObject({
      state: 'closed',
      isRunning: false,
      subscriptions: { total: 0 },
    });
    await h.client.close(); // idempotent
  });

  it('close() while waiting to reconnect clears the retry timer', async () => {
    const h = createHarness();
    h.ha.authMode = 'refuse';
    await h.connect();
    expect(h.clock.pendingTimers).toBe(1);
    await h.client.close();
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('close() while the upgrade hangs: socket destroyed, no timer left', async () => {
    const h = createHarness();
    h.ha.authMode = 'no-upgrade';
    await h.connect();
    expect(h.clock.pendingTimers).toBe(1); // the connect deadline
    const closing = h.client.close();
    await h.clock.advance(1_000);
    await closing;
    expect(h.ha.last.closed).toBe(true);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it.each(['onStateChange', 'onDisconnected', 'onReconnectAttempt', 'onGap', 'onConnected'] as const)(
    'close() called from %s after a drop leaves nothing running',
    async (hook) => {
      let armed = false;
      let closing: Promise<void> | undefined;
      const h = createHarness({
        [hook]: () => {
          if (armed) closing ??= h.client.close();
        },
      });
      await h.connect();
      armed = true;
      h.ha.last.drop();
      await h.clock.advance(60_000);
      expect(closing).toBeDefined();
      await closing;
      const sockets = h.ha.connections.length;
      await h.clock.advance(600_000);
      expect(h.client.state).toBe('closed');
      expect(h.clock.pendingTimers).toBe(0);
      expect(h.ha.connections).toHaveLength(sockets);
      expect(h.ha.open).toEqual([]);
    },
  );
});
