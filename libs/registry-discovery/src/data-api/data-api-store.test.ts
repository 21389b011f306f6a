import { ManualClock } from '@homeiq/runtime/testing';
import { RegistryState } from '../model/registry-state.js';
import { createView, type RegistryView } from '../model/view.js';
import { deviceRaw, entityRaw, smallHome } from '../testing-internal/fixtures.js';
import { parsedLists } from '../testing-internal/parsed.js';
import { startRecordingServer, type RecordingServer } from '../testing-internal/recording-server.js';
import { memoryLogger } from '../testing-internal/setup-discovery.js';
import { createDataApiRegistryStore, type DataApiRegistryStoreOptions } from './data-api-store.js';

const DEVICES = '/internal/devices/bulk_upsert';
const ENTITIES = '/internal/entities/bulk_upsert';

describe('data-api store (contract, against a recording HTTP server)', () => {
  let server: RecordingServer;
  let clock: ManualClock;
  let state: RegistryState;
  let view: RegistryView;
  beforeEach(async () => {
    server = await startRecordingServer();
    clock = new ManualClock();
    state = new RegistryState();
    view = createView(state);
  });
  afterEach(async () => {
    await server.close();
  });

  const store = (options: Partial<DataApiRegistryStoreOptions> = {}) =>
    createDataApiRegistryStore({
      url: `${server.url}/`,
      apiKey: 'secret-key',
      clock,
      random: () => 0.5,
      logger: memoryLogger(),
      ...options,
    });
  const refresh = (raw = smallHome()) => state.replace(parsedLists(raw), clock.now(), 'refresh');
  const notTimeout = (delayMs: number): boolean => delayMs !== 30_000;

  it("posts the raw HA arrays, devices before entities, with the original's extra device fields and Bearer auth", async () => {
    const s = store();
    await s.save(refresh(), view);
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', DEVICES],
      ['POST', ENTITIES],
    ]);
    const [devices, entities] = server.requests;
    expect(devices?.headers['authorization']).toBe('Bearer secret-key');
    expect(devices?.headers['content-type']).toBe('application/json');
    expect(devices?.body).toEqual(
      smallHome().devices.map((d, i) => ({ ...d, integration: i === 1 ? 'hue' : 'zha' })),
    );
    expect(entities?.body).toEqual(smallHome().entities);
    expect(s.stats()).toMatchObject({
      healthy: true,
      devicesSent: 3,
      entitiesSent: 5,
      requests: 2,
      pendingDevices: 0,
      lastSuccessAtMs: clock.now(),
    });
  });

  it('sends no Authorization header without an API key, and chunks large registries', async () => {
    const raw = smallHome();
    for (let i = 0; i < 6; i++) raw.entities.push(entityRaw(`sensor.extra_${i}`));
    await store({ apiKey: undefined, chunkSize: 4 }).save(refresh(raw), view);
    expect(server.requests.map((r) => [r.path, (r.body as unknown[]).length])).toEqual([
      [DEVICES, 3],
      [ENTITIES, 4],
      [ENTITIES, 4],
      [ENTITIES, 3],
    ]);
    expect(server.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('marks Zigbee2MQTT devices as the original did (integration and source)', async () => {
    const raw = smallHome();
    raw.devices.push(
      deviceRaw('z2m', {
        identifiers: [['mqtt', 'zigbee2mqtt_0x00158d0001a2b3c4']],
        config_entries: ['entry_mqtt'],
      }),
    );
    raw.devices.push(
      deviceRaw('ieee', { identifiers: [['mqtt', '0x00158d0001a2b3c5']], config_entries: ['entry_mqtt'] }),
    );
    await store().save(refresh(raw), view);
    const sent = server.requests[0]?.body as Record<string, unknown>[];
    expect(sent.slice(3).map((d) => [d['id'], d['integration'], d['source']])).toEqual([
      ['z2m', 'zigbee2mqtt', 'zigbee2mqtt'],
      ['ieee', 'zigbee2mqtt', 'zigbee2mqtt'],
    ]);
    expect(sent[0]).not.toHaveProperty('source');
  });

  it('retries a 500 with backoff and honours Retry-After on a 503', async () => {
    server.reply = (request, index) =>
      index === 0
        ? { status: 500, body: { detail: 'boom' } }
        : index === 1
          ? { status: 503, headers: { 'retry-after': '2' } }
          : { status: 200, body: {} };
    const s = store();
    const saving = s.save(refresh(), view);
    expect(await clock.whenTimer(notTimeout)).toBe(375); // 500 ms base, jitter 0.5
    // The wait before a retry is part of the pending save: it keeps the process alive.
    expect(clock.pending()).toEqual([{ delayMs: 375, dueInMs: 375, keepAlive: true }]);
    await clock.advance(375);
    expect(await clock.whenTimer(notTimeout)).toBe(2000);
    await clock.advance(2000);
    await saving;
    expect(server.requests.map((r) => r.path)).toEqual([DEVICES, DEVICES, DEVICES, ENTITIES]);
    expect(s.stats()).toMatchObject({
      healthy: true,
      requests: 4,
      failedRequests: 2,
      retries: 2,
      devicesSent: 3,
      entitiesSent: 5,
    });
  });

  it('does not retry a 401, keeps the entries, shows the failure, and sends them on a later flush', async () => {
    server.reply = (request, index) =>
      index === 0 ? { status: 401, body: { detail: 'Invalid API key' } } : { status: 200, body: {} };
    const s = store();
    await expect(s.save(refresh(), view)).rejects.toMatchObject({
      code: 'ERR_DATA_API_HTTP',
      status: 401,
      retryable: false,
    });
    expect(s.stats()).toMatchObject({
      healthy: false,
      consecutiveFailures: 1,
      pendingDevices: 3,
      pendingEntities: 5,
      lastError: { code: 'ERR_DATA_API_HTTP', message: expect.stringContaining('401') as unknown },
    });
    expect(server.requests).toHaveLength(1);
    // The store tries again by itself after a backoff (the key may have been fixed).
    // Nobody awaits this flush (its saves were rejected): a background timer.
    expect(clock.pending()).toEqual([{ delayMs: 375, dueInMs: 375, keepAlive: false }]);
    await clock.advance(375);
    // A later save waits behind the running retry flush: when it resolves, that flush has finished.
    await s.save(state.remove('floors', 'none', clock.now()), view);
    expect(server.requests.map((r) => r.path)).toEqual([DEVICES, DEVICES, ENTITIES]);
    expect(s.stats()).toMatchObject({
      healthy: true,
      pendingDevices: 0,
      pendingEntities: 0,
      devicesSent: 3,
      entitiesSent: 5,
    });
  });

  it('gives up on a request after requestTimeoutMs, as a retryable timeout', async () => {
    server.reply = () => 'hang';
    const s = store({ requestTimeoutMs: 1000, maxAttempts: 1 });
    const saving = s.save(refresh(), view);
    await server.received(1);
    expect(clock.pending()).toEqual([{ delayMs: 1000, dueInMs: 1000, keepAlive: true }]);
    await clock.advance(1000);
    await expect(saving).rejects.toMatchObject({ code: 'ERR_DATA_API_TIMEOUT', retryable: true });
  });

  it('merges saves made while a flush runs into one next flush, latest entry winning, and counts removals', async () => {
    let answerFirst: (() => void) | undefined;
    const firstAnswered = new Promise<{ status: number }>((resolve) => {
      answerFirst = () => {
        resolve({ status: 200 });
      };
    });
    server.reply = (request, index) => (index === 0 ? firstAnswered : { status: 200, body: {} });
    const s = store();
    const first = s.save(refresh(), view);
    await server.received(1);
    const raw = smallHome();
    raw.entities[0] = { ...raw.entities[0], name: 'v2' };
    const second = s.save(
      state.replace(parsedLists({ entities: raw.entities }), clock.now(), 'refetch'),
      view,
    );
    raw.entities[0] = { ...raw.entities[0], name: 'v3' };
    const third = s.save(
      state.replace(parsedLists({ entities: raw.entities }), clock.now(), 'refetch'),
      view,
    );
    const fourth = s.save(state.remove('entities', 'sun.sun', clock.now()), view);
    expect(s.stats()).toMatchObject({ pendingEntities: 1, removalsNotSent: 1 });
    answerFirst?.();
    await Promise.all([first, second, third, fourth]);
    expect(second).toBe(third);
    expect(server.requests.map((r) => r.path)).toEqual([DEVICES, ENTITIES, ENTITIES]);
    expect(
      (server.requests[2]?.body as Record<string, unknown>[]).map((e) => [e['entity_id'], e['name']]),
    ).toEqual([['light.kitchen_bulb', 'v3']]);
  });

  it('after a refresh posts every live entry again (a data-api that lost its data heals on reconnect)', async () => {
    const s = store();
    await s.save(refresh(), view);
    await s.save(refresh(), view);
    expect(server.requests.map((r) => r.path)).toEqual([DEVICES, ENTITIES, DEVICES, ENTITIES]);
    await store({ resyncOnRefresh: false }).save(refresh(), view);
    expect(server.requests).toHaveLength(4);
  });

  it('validates its options', () => {
    expect(() => createDataApiRegistryStore({ url: '' })).toThrow(
      'Expected `url` to be a non-empty string, got `""` (string)',
    );
    expect(() => createDataApiRegistryStore({ url: 'http://x', chunkSize: 0 })).toThrow(
      'Expected `chunkSize` to be an integer >= 1, got `0` (number)',
    );
  });
});
