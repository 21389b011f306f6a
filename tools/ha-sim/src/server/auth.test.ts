import { startHaSim, type HaSim, type HaSimOptions } from '../index.js';
import { TestClient } from '../testing-internal/test-client.js';

describe('auth phase (HA auth.py / http.py)', () => {
  let sim: HaSim;
  const clients: TestClient[] = [];
  const start = async (options: HaSimOptions = {}): Promise<void> => {
    sim = await startHaSim({ home: { entities: 10 }, ...options });
  };
  const connect = async (): Promise<TestClient> => {
    const client = await TestClient.connect(sim.wsUrl);
    clients.push(client);
    await client.next((message) => message.type === 'auth_required');
    return client;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await sim.close();
  });

  it('sends auth_required with the version at once, then auth_ok for the right token', async () => {
    await start({ haVersion: '2024.12.5' });
    const client = await connect();
    expect(client.frames[0]).toBe('{"type":"auth_required","ha_version":"2024.12.5"}');
    client.send({ type: 'auth', access_token: sim.token });
    expect(await client.next((message) => message.type === 'auth_ok')).toEqual({
      type: 'auth_ok',
      ha_version: '2024.12.5',
    });
    expect(sim.clients()).toBe(1);
    expect(sim.stats().authOk).toBe(1);
  });

  it('answers a wrong token with auth_invalid, then closes', async () => {
    await start();
    const client = await connect();
    client.send({ type: 'auth', access_token: 'nope' });
    expect(await client.next((message) => message.type === 'auth_invalid')).toEqual({
      type: 'auth_invalid',
      message: 'Invalid access token or password',
    });
    expect(await client.closed).toBe(1000);
    expect(sim.stats().authInvalid).toBe(1);
  });

  it('rejects an id in the auth message as a schema error', async () => {
    await start();
    const client = await connect();
    client.send({ type: 'auth', access_token: sim.token, id: 1 });
    expect(await client.next((message) => message.type === 'auth_invalid')).toEqual({
      type: 'auth_invalid',
      message: "Auth message incorrectly formatted: extra keys not allowed @ data['id']. Got 1",
    });
    await client.closed;
  });

  it.each([
    [
      { type: 'login', access_token: 'x' },
      "not a valid value for dictionary value @ data['type']. Got 'login'",
    ],
    [{ access_token: 'x' }, "required key not provided @ data['type']. Got None"],
    [{ type: 'auth', access_token: 5 }, "expected str for dictionary value @ data['access_token']. Got 5"],
    [
      { type: 'auth', access_token: 'x', api_password: 'y' },
      "two or more values in the same group of exclusion 'auth' @ data[<auth>]. Got None",
    ],
    [[1, 2], 'expected a dictionary. Got [1, 2]'],
  ])('humanizes schema errors like voluptuous: %j', async (message, text) => {
    await start();
    const client = await connect();
    client.send(message);
    expect(await client.next((reply) => reply.type === 'auth_invalid')).toEqual({
      type: 'auth_invalid',
      message: `Auth message incorrectly formatted: ${text}`,
    });
  });

  it('an api_password alone is a valid message but not a valid login', async () => {
    await start();
    const client = await connect();
    client.send({ type: 'auth', api_password: 'secret' });
    expect((await client.next((message) => message.type === 'auth_invalid'))['message']).toBe(
      'Invalid access token or password',
    );
  });

  it('closes without a message when no auth message comes in time', async () => {
    await start({ authTimeoutMs: 50 });
    const client = await connect();
    expect(await client.closed).toBe(1000);
    expect(client.messages.map((message) => message.type)).toEqual(['auth_required']);
    expect(sim.stats().authTimeouts).toBe(1);
  });

  it('closes without a message on invalid JSON or a binary frame in the auth phase', async () => {
    await start();
    const invalid = await connect();
    invalid.send('{not json');
    const binary = await connect();
    binary.ws.send(Buffer.from([1, 2, 3]));
    expect(await invalid.closed).toBe(1000);
    expect(await binary.closed).toBe(1000);
    expect(
      [...invalid.messages, ...binary.messages].every((message) => message.type === 'auth_required'),
    ).toBe(true);
  });

  it('reject mode refuses the right token; setToken changes the accepted token', async () => {
    await start();
    sim.setAuthMode('reject');
    const rejected = await connect();
    rejected.send({ type: 'auth', access_token: sim.token });
    await rejected.next((message) => message.type === 'auth_invalid');
    sim.setAuthMode('accept');
    sim.setToken('rotated');
    const old = await connect();
    old.send({ type: 'auth', access_token: 'ha-sim-token' });
    await old.next((message) => message.type === 'auth_invalid');
    const fresh = await connect();
    fresh.send({ type: 'auth', access_token: 'rotated' });
    await fresh.next((message) => message.type === 'auth_ok');
  });

  it('silent mode never answers the auth message (and does not time out once it arrived)', async () => {
    await start({ authTimeoutMs: 30 });
    sim.setAuthMode('silent');
    const client = await connect();
    client.send({ type: 'auth', access_token: sim.token });
    await expect(client.next((message) => message.type !== 'auth_required', 150)).rejects.toThrow(
      'no matching message',
    );
    expect(client.closeCode).toBeNull();
  });

  it('no-auth-required sends auth_ok at once, like a pre-authenticated Supervisor connection', async () => {
    await start();
    sim.setAuthMode('no-auth-required');
    const client = await TestClient.connect(sim.wsUrl);
    clients.push(client);
    expect(await client.next(() => true)).toEqual({ type: 'auth_ok', ha_version: '2025.1.2' });
    expect(await client.command({ id: 1, type: 'ping' })).toEqual({ id: 1, type: 'pong' });
  });

  it('delays the auth answer; commands sent meanwhile are handled after auth_ok, in order', async () => {
    await start();
    sim.delayAuth(60);
    const client = await connect();
    const sentAt = Date.now();
    client.send({ type: 'auth', access_token: sim.token });
    client.send({ id: 1, type: 'ping' });
    await client.next((message) => message.type === 'auth_ok');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(50);
    expect(await client.next((message) => message.id === 1)).toEqual({ id: 1, type: 'pong' });
    expect(client.messages.map((message) => message.type)).toEqual(['auth_required', 'auth_ok', 'pong']);
  });

  it('accepts permessage-deflate when offered, as aiohttp does, unless told not to', async () => {
    await start();
    const offered = await TestClient.connect(sim.wsUrl, { perMessageDeflate: true });
    clients.push(offered);
    expect(offered.ws.extensions).toContain('permessage-deflate');
    offered.send({ type: 'auth', access_token: sim.token });
    await offered.next((message) => message.type === 'auth_ok');
    expect(await offered.command({ id: 1, type: 'get_states' })).toMatchObject({ id: 1, success: true });
    await sim.close();
    await start({ perMessageDeflate: false });
    const refused = await TestClient.connect(sim.wsUrl, { perMessageDeflate: true });
    clients.push(refused);
    expect(refused.ws.extensions).toBe('');
  });

  it('serves 404 for other paths and 400 for a plain GET of the WebSocket path', async () => {
    await start();
    expect((await fetch(`${sim.url}/nope`)).status).toBe(404);
    expect((await fetch(`${sim.url}/api/websocket`)).status).toBe(400);
    expect(
      (await fetch(`${sim.url}/api/`, { headers: { authorization: `Bearer ${sim.token}` } })).status,
    ).toBe(200);
    await expect(TestClient.connect(`ws://127.0.0.1:${sim.port}/other`)).rejects.toThrow('404');
  });
});
