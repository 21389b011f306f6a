import { setImmediate as turn } from 'node:timers/promises';
import { startHaSim, type HaSim, type HaSimOptions } from '../index.js';
import { TestClient } from '../testing-internal/test-client.js';

describe('slow clients (HA http.py pending-message limits)', () => {
  let sim: HaSim;
  let client: TestClient;
  const start = async (options: HaSimOptions): Promise<void> => {
    sim = await startHaSim({ home: { entities: 200, seed: 5 }, closeTimeoutMs: 200, ...options });
    client = await TestClient.authed(sim.wsUrl, sim.token, true);
    await client.command({ id: 2, type: 'subscribe_events', event_type: 'state_changed' });
  };
  afterEach(async () => {
    client.ws.resume();
    await client.close();
    await sim.close();
  });

  it('closes a client that stopped reading once 4096 messages are pending', async () => {
    await start({});
    client.ws.pause(); // the client stops reading: kernel buffers fill, then the drain limit, then the queue
    let maxPending = 0;
    for (let burst = 0; burst < 400 && sim.stats().slowClientCloses === 0; burst++) {
      sim.emitStateChanges(500);
      maxPending = Math.max(maxPending, ...sim.connections().map((connection) => connection.pendingMessages));
      await turn();
    }
    const stats = sim.stats();
    expect(stats.slowClientCloses).toBe(1);
    expect(stats.dropped.slow_client).toBe(4096);
    expect(maxPending).toBeGreaterThan(1024);
    expect(maxPending).toBeLessThan(4096);
    client.ws.resume();
    expect([1000, 1006]).toContain(await client.closed);
    expect(sim.clients()).toBe(0);
  });

  it('closes a client that stays above 1024 pending for the peak time', async () => {
    let closed: () => void = () => undefined;
    const slowClose = new Promise<void>((resolve) => (closed = resolve));
    const onDrop = (reason: string): void => {
      if (reason === 'slow_client') closed();
    };
    await start({ pendingPeakMs: 100, onDrop });
    client.ws.pause();
    let pending = 0;
    for (let burst = 0; burst < 2000 && pending <= 1100; burst++) {
      sim.emitStateChanges(50);
      await turn();
      pending = sim.connections()[0]?.pendingMessages ?? 0;
    }
    expect(pending).toBeGreaterThan(1024);
    expect(pending).toBeLessThan(4096);
    await slowClose; // the peak timer found the queue still above 1024: closed, the queue dropped
    expect(sim.stats().slowClientCloses).toBe(1);
    expect(sim.stats().dropped.slow_client).toBe(pending);
    client.ws.resume();
    expect([1000, 1006]).toContain(await client.closed);
  });

  it('keeps a client that catches up before the peak time', async () => {
    await start({ pendingPeakMs: 2000 });
    client.ws.pause();
    let pending = 0;
    let sent = 0;
    for (let burst = 0; burst < 2000 && pending <= 1100; burst++) {
      sent += sim.emitStateChanges(50);
      await turn();
      pending = sim.connections()[0]?.pendingMessages ?? 0;
    }
    expect(pending).toBeGreaterThan(1024); // above the peak: the checker that must not close it is running
    client.ws.resume();
    await client.waitFor(sent, (message) => message.type === 'event');
    sim.emitStateChanges(1); // a small queue again cancels the peak checker
    await client.command({ id: 9, type: 'ping' });
    expect(sim.stats().slowClientCloses).toBe(0);
  });

  it('keeps a client that keeps reading, and coalesces bursts into few frames', async () => {
    await start({ drainLimitBytes: 16_384 }); // the writer waits on the socket often, and must resume
    let sent = 0;
    for (let burst = 0; burst < 20; burst++) {
      sent += sim.emitStateChanges(500);
      await client.waitFor(sent, (message) => message.type === 'event');
    }
    expect(sim.stats().slowClientCloses).toBe(0);
    expect(sim.stats().framesSent).toBeLessThan(sent / 50);
  });
});

describe('fault injection', () => {
  let sim: HaSim;
  const clients: TestClient[] = [];
  const authed = async (coalesce = false): Promise<TestClient> => {
    const client = await TestClient.authed(sim.wsUrl, sim.token, coalesce);
    clients.push(client);
    return client;
  };
  beforeEach(async () => {
    sim = await startHaSim({ home: { entities: 30, seed: 9 }, closeTimeoutMs: 200 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await sim.close();
  });

  it('dropConnections closes with a close frame; terminateConnections cuts TCP (1006)', async () => {
    const a = await authed();
    sim.dropConnections(4001);
    expect(await a.closed).toBe(4001);
    const b = await authed();
    sim.terminateConnections();
    expect(await b.closed).toBe(1006);
  });

  it('half-open connections go silent (no pong, no events, no WS pong); new connections work', async () => {
    const frozen = await authed();
    await frozen.command({ id: 1, type: 'subscribe_events' });
    sim.setHalfOpen(true);
    let wsPong = false;
    frozen.ws.on('pong', () => (wsPong = true));
    frozen.ws.ping();
    frozen.send({ id: 2, type: 'ping' });
    sim.emitStateChanges(5);
    const fresh = await authed();
    expect(await fresh.command({ id: 1, type: 'ping' })).toEqual({ id: 1, type: 'pong' });
    await expect(frozen.next((message) => message.id === 2, 150)).rejects.toThrow('no matching message');
    expect(wsPong).toBe(false);
    expect(frozen.messages.some((message) => message.type === 'event')).toBe(false);
    expect(sim.stats().dropped.half_open).toBeGreaterThan(0);
    expect(frozen.closeCode).toBeNull();
    sim.setHalfOpen(false);
    expect(await frozen.command({ id: 3, type: 'ping' })).toEqual({ id: 3, type: 'pong' });
  });

  it('restart closes everyone, refuses connections while down, comes back with a new version', async () => {
    const client = await authed();
    const restarted = sim.restart({ haVersion: '2025.2.0', downMs: 150 });
    expect(await client.closed).toBe(1000);
    await expect(TestClient.connect(sim.wsUrl)).rejects.toThrow('ECONNREFUSED');
    await restarted;
    const after = await TestClient.connect(sim.wsUrl);
    clients.push(after);
    expect(await after.next(() => true)).toEqual({ type: 'auth_required', ha_version: '2025.2.0' });
    expect(sim.haVersion).toBe('2025.2.0');
  });

  it('sendRaw injects malformed and binary frames as-is', async () => {
    const client = await authed();
    sim.sendRaw(Buffer.from([0xde, 0xad]), { binary: true });
    expect(sim.sendRaw('{"type":"event","event":')).toBe(1);
    await client.next((message) => message.type === '<invalid-json>');
    expect(client.frames.slice(-2)).toEqual(['<binary:2>', '{"type":"event","event":']);
  });

  it('delayReplies makes results come back out of id order; dropReplies never answers', async () => {
    const client = await authed();
    sim.delayReplies(80, ['get_states']);
    client.send({ id: 1, type: 'get_states' });
    client.send({ id: 2, type: 'ping' });
    await client.next((message) => message.id === 1);
    expect(client.messages.slice(2).map((message) => message.id)).toEqual([2, 1]);
    sim.delayReplies(0);
    sim.dropReplies(['ping']);
    client.send({ id: 3, type: 'ping' });
    expect((await client.command({ id: 4, type: 'get_config' }))['success']).toBe(true);
    expect(client.messages.some((message) => message.id === 3)).toBe(false);
    expect(sim.stats().dropped.reply_dropped).toBe(1);
    sim.dropReplies([]);
    expect(await client.command({ id: 5, type: 'ping' })).toEqual({ id: 5, type: 'pong' });
  });

  it('pauseReading leaves commands unread until reading resumes', async () => {
    const client = await authed();
    sim.pauseReading(true);
    client.send({ id: 1, type: 'ping' });
    await expect(client.next((message) => message.id === 1, 100)).rejects.toThrow('no matching message');
    sim.pauseReading(false);
    expect(await client.next((message) => message.id === 1)).toEqual({ id: 1, type: 'pong' });
  });
});

describe('heartbeat (aiohttp heartbeat=55)', () => {
  it('pings idle clients and drops one that does not answer within half the heartbeat', async () => {
    const sim = await startHaSim({ home: { entities: 5 }, heartbeatMs: 300 });
    const answering = await TestClient.authed(sim.wsUrl, sim.token);
    const mute = await TestClient.connect(sim.wsUrl, { autoPong: false });
    let pinged = 0;
    answering.ws.on('ping', () => pinged++);
    await mute.next((message) => message.type === 'auth_required');
    mute.send({ type: 'auth', access_token: sim.token });
    expect(await mute.closed).toBe(1006);
    expect(sim.stats().heartbeatTimeouts).toBe(1);
    await new Promise<void>((resolve) => {
      answering.ws.on('ping', () => {
        if (pinged >= 2) resolve();
      });
    });
    expect(answering.closeCode).toBeNull();
    await answering.close();
    await sim.close();
  });
});
