import { createRegistryHealthCheck } from './health-check.js';
import { FakeCommandError } from '../testing-internal/fake-connection.js';
import { entityRaw } from '../testing-internal/fixtures.js';
import { setupDiscovery } from '../testing-internal/setup-discovery.js';
import { createRegistryDiscovery } from './discovery.js';

const DEVICE_LIST = 'config/device_registry/list';
const ENTITY_LIST = 'config/entity_registry/list';
const FLOOR_LIST = 'config/floor_registry/list';

describe('registry discovery under faults', () => {
  it('runs the reconnect refresh after a refetch in flight ends, never two fetches of a registry at once', async () => {
    const { discovery, connection, clock } = setupDiscovery();
    await discovery.start();
    await discovery.refreshAll();
    connection.hold = true;
    connection.fire('device_registry_updated', { action: 'create', device_id: 'dev9' });
    await clock.advance(500);
    expect(connection.held.map((h) => h.type).sort()).toEqual([
      'config/device_registry/list',
      'config_entries/get',
    ]);

    // The connection drops and comes back while the refetch waits: the app calls refreshAll from "connected".
    let refreshed: boolean | undefined;
    void discovery.refreshAll().then((ok) => (refreshed = ok));
    await clock.advance(0);
    expect(connection.count(DEVICE_LIST)).toBe(2); // the first refresh + the held refetch: no new one yet
    expect(discovery.stats().inFlight).toEqual(['devices']);

    connection.registries.devices.push({ ...connection.registries.devices[0], id: 'dev9', name: 'New' });
    connection.hold = false;
    connection.failAll(new Error('connection lost'));
    await clock.advance(0);
    expect(refreshed).toBe(true);
    expect(connection.count(DEVICE_LIST)).toBe(3);
    expect(connection.maxInFlight.get(DEVICE_LIST)).toBe(1);
    expect(discovery.view().device('dev9')?.name).toBe('New');
    expect(discovery.stats()).toMatchObject({ fetchFailures: 1, fullRefreshes: 2, lastFetchFailed: false });
  });

  it('re-applies a removal seen during a refresh on top of the older list that refresh returns', async () => {
    const { discovery, connection, clock } = setupDiscovery();
    await discovery.start();
    await discovery.refreshAll();
    connection.hold = true;
    const refreshing = discovery.refreshAll();
    await clock.advance(0);
    // HA answered (the list still has switch.coffee) but the reply is not processed yet when the removal arrives.
    connection.fire('entity_registry_updated', { action: 'remove', entity_id: 'switch.coffee' });
    expect(discovery.lookup('switch.coffee')).toBeUndefined();
    connection.hold = false;
    connection.releaseAll();
    expect(await refreshing).toBe(true);
    expect(discovery.lookup('switch.coffee')).toBeUndefined();
    connection.registries.entities = connection.registries.entities.filter(
      (e) => e['entity_id'] !== 'switch.coffee',
    );
    await clock.advance(500);
    expect(connection.count(ENTITY_LIST)).toBe(3);
    expect(discovery.lookup('switch.coffee')).toBeUndefined();
  });

  it('treats floors as empty on HA without a floor registry (unknown_command)', async () => {
    const { discovery, connection } = setupDiscovery();
    connection.overrides.set(FLOOR_LIST, () => {
      throw new FakeCommandError('unknown_command');
    });
    expect(await discovery.refreshAll()).toBe(true);
    expect(discovery.stats()).toMatchObject({ floorsSupported: false, counts: { floors: 0, areas: 3 } });
    expect(discovery.lookup('light.kitchen_bulb')).toMatchObject({ areaName: 'Kitchen', floorId: null });
  });

  it('counts and skips bad entries, applying the good ones', async () => {
    const { discovery, connection, drops } = setupDiscovery();
    connection.registries.entities.push(
      { platform: 'x' },
      entityRaw('light.bad', { entity_id: 12 }),
      entityRaw('light.odd', { labels: 3 }),
    );
    connection.registries.devices.push('garbage' as unknown as Record<string, unknown>);
    expect(await discovery.refreshAll()).toBe(true);
    expect(discovery.stats().counts).toMatchObject({ entities: 6, devices: 3 });
    expect(discovery.stats().issues).toEqual({
      'entities.bad_entry': 2,
      'entities.bad_field': 1,
      'devices.bad_entry': 1,
    });
    expect(drops).toHaveLength(4);
    expect(drops[0]).toEqual({ registry: 'devices', reason: 'bad_entry', detail: 'item 3 is not an object' });
  });

  it('keeps the picture when a list is not a list, and retries with backoff', async () => {
    const { discovery, connection, clock } = setupDiscovery();
    await discovery.start();
    await discovery.refreshAll();
    connection.overrides.set(ENTITY_LIST, () => ({ error: 'weird' }));
    expect(await discovery.refreshAll()).toBe(false);
    expect(discovery.stats()).toMatchObject({
      counts: { entities: 5 },
      lastFetchFailed: true,
      lastError: { code: 'ERR_BAD_PAYLOAD' },
      issues: { 'entities.not_a_list': 1 },
    });
    const health = createRegistryHealthCheck(discovery).check();
    expect(health.status).toBe('degraded');
    expect(health.reasons[0]).toContain('last registry fetch failed');
    connection.overrides.delete(ENTITY_LIST);
    await clock.advance(750);
    expect(discovery.stats()).toMatchObject({ fullRefreshes: 2, lastFetchFailed: false });
    expect(createRegistryHealthCheck(discovery).check()).toMatchObject({ status: 'healthy', reasons: [] });
  });

  it('counts a malformed registry event and still refetches its registry', async () => {
    const { discovery, connection, clock, drops } = setupDiscovery();
    await discovery.start();
    await discovery.refreshAll();
    connection.fire('area_registry_updated', { action: 'update' });
    connection.fire('area_registry_updated', 'nonsense');
    connection.fire('area_registry_updated', { action: 'reorder', area_id: null });
    await clock.advance(500);
    expect(discovery.stats().issues).toEqual({ 'areas.bad_event': 2 });
    expect(drops.map((d) => d.detail)).toEqual([
      '`area_id` is not a non-empty string',
      'data is not an object',
    ]);
    expect(connection.count('config/area_registry/list')).toBe(2);
  });

  it('keeps last known integrations when config entries cannot be read', async () => {
    const { discovery, connection } = setupDiscovery();
    await discovery.refreshAll();
    connection.overrides.set('config_entries/get', () => {
      throw new FakeCommandError('unauthorized');
    });
    expect(await discovery.refreshAll()).toBe(true);
    expect(discovery.lookup('sensor.hue_temperature')?.integration).toBe('hue');
    expect(discovery.stats().lastError?.message).toContain('config_entries/get');
  });

  it('gives up waiting for a command after commandTimeoutMs and retries', async () => {
    const { discovery, connection, clock } = setupDiscovery({ commandTimeoutMs: 10_000 });
    connection.hold = true;
    let result: boolean | undefined;
    void discovery.refreshAll().then((ok) => (result = ok));
    await clock.advance(9_999);
    expect(result).toBeUndefined();
    // The deadlines of an awaited refresh's five commands keep the process alive until they fire.
    expect(clock.pending().map((t) => [t.delayMs, t.keepAlive])).toEqual(Array(5).fill([10_000, true]));
    await clock.advance(1);
    expect(result).toBe(false);
    expect(discovery.stats().lastError).toMatchObject({ code: 'ERR_FETCH_TIMEOUT' });
    connection.hold = false;
    connection.releaseAll();
    await clock.advance(750);
    expect(discovery.stats().fullRefreshes).toBe(1);
  });

  it('sets the debounce and the deadline of a debounced refetch as background timers', async () => {
    const { discovery, connection, clock } = setupDiscovery();
    await discovery.start();
    await discovery.refreshAll();
    connection.hold = true;
    connection.fire('area_registry_updated', { action: 'update', area_id: 'kitchen' });
    expect(clock.pending()).toEqual([{ delayMs: 500, dueInMs: 500, keepAlive: false }]);
    await clock.advance(500);
    expect(clock.pending()).toEqual([{ delayMs: 30_000, dueInMs: 30_000, keepAlive: false }]);
    connection.hold = false;
    connection.releaseAll();
    await clock.advance(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('logs a failed fetch only when no onFetch hook words it', async () => {
    const failing = (): never => {
      throw new Error('lost');
    };
    const bare = setupDiscovery();
    bare.connection.overrides.set(ENTITY_LIST, failing);
    expect(await bare.discovery.refreshAll()).toBe(false);
    expect(bare.logger.lines.filter((line) => line.includes('registry fetch'))).toHaveLength(1);

    const fetches: unknown[] = [];
    const hooked = setupDiscovery({ onFetch: (info) => fetches.push(info) });
    hooked.connection.overrides.set(ENTITY_LIST, failing);
    expect(await hooked.discovery.refreshAll()).toBe(false);
    expect(fetches).toMatchObject([{ full: true, ok: false, error: { code: 'ERR_FETCH_FAILED' } }]);
    expect(hooked.logger.lines.filter((line) => line.includes('registry fetch'))).toEqual([]);
  });

  it('rejects bad options with a message naming the option', () => {
    const { connection } = setupDiscovery();
    expect(() => createRegistryDiscovery({ connection, debounceMs: -1 })).toThrow(
      'Expected `debounceMs` to be an integer from 0 to 86400000 (ms), got `-1` (number)',
    );
    expect(() => createRegistryDiscovery({ connection, debounceMs: 1000, maxDebounceMs: 10 })).toThrow(
      'Expected `maxDebounceMs` to be >= `debounceMs` (1000), got `10` (number)',
    );
    expect(() => createRegistryDiscovery({ connection, retryJitterRatio: 2 })).toThrow(
      'Expected `retryJitterRatio` to be a number from 0 to 1, got `2` (number)',
    );
    expect(() => createRegistryDiscovery({ connection: {} as never })).toThrow(
      'Expected `connection` to be an object with `sendCommand()`, `subscribeEvents()`, got `[object Object]` (object)',
    );
  });
});
