import { createHarness } from './testing-internal/harness.js';

describe('heartbeat', () => {
  it('pings after 30 s of silence; no pong within 10 s terminates the socket and reconnects', async () => {
    const h = createHarness({ heartbeatIntervalMs: 30_000, pongTimeoutMs: 10_000 });
    h.client.subscribeEvents('state_changed', () => undefined);
    await h.connect();
    const conn = h.ha.last;
    await h.clock.advance(29_999);
    expect(conn.commands('ping')).toEqual([]);
    await h.clock.advance(1);
    expect(conn.commands('ping')).toHaveLength(1);
    await h.clock.advance(10_000); // pong answered: all good
    expect(conn.closed).toBe(false);

    conn.silent = true; // half-open: HA vanished without a FIN
    await h.clock.advance(19_999); // the last frame (the pong) came at 30 s
    expect(conn.commands('ping')).toHaveLength(1);
    await h.clock.advance(1);
    expect(conn.commands('ping')).toHaveLength(1); // a silent server records nothing, but the client did send:
    expect(h.client.stats().pendingCommands).toBe(1);
    await h.clock.advance(9_999);
    expect(conn.closed).toBe(false);
    await h.clock.advance(1);
    expect(conn.closedBy).toBe('client-terminate');
    expect(h.client.stats().lastError).toMatchObject({ code: 'ERR_HEARTBEAT_TIMEOUT' });
    const disconnects = h.calls('onDisconnected') as { error: { code: string } }[];
    expect(disconnects.map((d) => d.error.code)).toEqual(['ERR_HEARTBEAT_TIMEOUT']);
    await h.clock.advance(1_000);
    expect(h.client.state).toBe('connected');
    expect(h.ha.last).not.toBe(conn);
    expect(h.ha.last.commands('subscribe_events')).toHaveLength(1);
  });

  it('never pings a busy link: any inbound frame proves life', async () => {
    const h = createHarness();
    h.client.subscribeEvents('state_changed', () => undefined);
    await h.connect();
    for (let second = 0; second < 120; second += 5) {
      h.ha.emit('state_changed', { second });
      await h.clock.advance(5_000);
    }
    expect(h.ha.last.commands('ping')).toEqual([]);
  });

  it('heartbeatIntervalMs 0 turns it off', async () => {
    const h = createHarness({ heartbeatIntervalMs: 0 });
    await h.connect();
    expect(h.clock.pendingTimers).toBe(0);
    await h.clock.advance(600_000);
    expect(h.ha.last.commands('ping')).toEqual([]);
  });

  it('one owner: at most one heartbeat timer per connection, none after a drop or close', async () => {
    const h = createHarness({ commandTimeoutMs: 5_000 });
    await h.connect();
    // quiet timer only (supported_features/get_config answered)
    expect(h.clock.pendingTimers).toBe(1);
    await h.clock.advance(30_000);
    expect(h.clock.pendingTimers).toBe(1); // now the ping's deadline instead of the quiet timer
    h.ha.last.drop();
    await h.clock.advance(0);
    expect(h.clock.pendingTimers).toBe(1); // only the reconnect timer
    await h.clock.advance(1_000);
    expect(h.clock.pendingTimers).toBe(1);
    await h.client.close();
    expect(h.clock.pendingTimers).toBe(0);
  });
});
