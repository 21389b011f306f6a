import { createDataApiRegistryStore } from '../data-api/data-api-store.js';
import { createSqliteRegistryStore } from '../store/sqlite-store.js';
import { startRecordingServer } from '../testing-internal/recording-server.js';
import type { RegistryChange } from '../model/types.js';
import { tempDir } from '../testing-internal/temp-dir.js';
import { setupDiscovery } from '../testing-internal/setup-discovery.js';
import { createRegistryHealthCheck } from './health-check.js';

describe('registry discovery with a store and history', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    dir.remove();
  });

  it('serves the stored picture after a restart before HA answers, then marks what HA dropped meanwhile', async () => {
    const store1 = createSqliteRegistryStore({ dataDir: dir.path });
    const first = setupDiscovery({ store: store1 });
    await first.discovery.start();
    await first.discovery.refreshAll();
    await first.discovery.close();
    await store1.close();

    const store2 = createSqliteRegistryStore({ dataDir: dir.path });
    const changes: RegistryChange[] = [];
    const second = setupDiscovery({ store: store2, onChange: (change) => changes.push(change) });
    await second.discovery.start();
    expect(second.discovery.stats()).toMatchObject({ source: 'store', counts: { entities: 5, devices: 3 } });
    expect(second.discovery.lookup('binary_sensor.hue_motion')).toMatchObject({
      areaName: 'Bedroom',
      integration: 'hue',
    });

    // While the service was down, the plug and its entity were deleted in HA.
    const { registries } = second.connection;
    registries.devices = registries.devices.filter((d) => d['id'] !== 'dev3');
    registries.entities = registries.entities.filter((e) => e['device_id'] !== 'dev3');
    await second.discovery.refreshAll();
    await second.discovery.close();
    expect(changes).toHaveLength(1);
    expect(changes[0]?.devices.removed.map((d) => d.deviceId)).toEqual(['dev3']);
    expect(changes[0]?.entities.removed.map((e) => e.entityId)).toEqual(['switch.coffee']);
    expect(changes[0]?.entities.upserted).toEqual([]);
    expect((await store2.load())?.devices.map((d) => d.record.deviceId)).toEqual(['dev1', 'dev2']);
    expect(store2.stats()).toMatchObject({ healthy: true, failedSaves: 0 });
    await store2.close();
  });

  it('posts the picture to the data-api after a refresh, and a live change after an event', async () => {
    const server = await startRecordingServer();
    try {
      const store = createDataApiRegistryStore({ url: server.url, apiKey: 'k' });
      const { discovery, connection, clock } = setupDiscovery({ store });
      await discovery.start();
      await discovery.refreshAll();
      connection.registries.entities[0] = { ...connection.registries.entities[0], name: 'Renamed' };
      connection.fire('entity_registry_updated', {
        action: 'update',
        entity_id: 'light.kitchen_bulb',
        changes: { name: null },
      });
      await clock.advance(500);
      await discovery.close();
      expect(server.requests.map((r) => [r.path, (r.body as unknown[]).length])).toEqual([
        ['/internal/devices/bulk_upsert', 3],
        ['/internal/entities/bulk_upsert', 5],
        ['/internal/entities/bulk_upsert', 1],
      ]);
      expect((server.requests[2]?.body as Record<string, unknown>[])[0]?.['name']).toBe('Renamed');
      expect(store.stats()).toMatchObject({ healthy: true, entitiesSent: 6 });
      await store.close();
    } finally {
      await server.close();
    }
  });

  it('counts a failing store and reports it as degraded health, without stopping discovery', async () => {
    const store = createSqliteRegistryStore({ dataDir: dir.path });
    const { discovery } = setupDiscovery({ store });
    await discovery.start();
    await store.close();
    expect(await discovery.refreshAll()).toBe(true);
    await discovery.close();
    expect(discovery.stats()).toMatchObject({
      storeFailures: 1,
      counts: { entities: 5 },
      lastError: { code: 'ERR_CLOSED' },
    });
    expect(discovery.lookup('switch.coffee')).toBeDefined();
  });

  it('writes history lines: a snapshot after each refresh, the changed entries after events', async () => {
    const written: string[][] = [];
    const { discovery, connection, clock } = setupDiscovery({
      historyWriter: (lines) => void written.push([...lines]),
    });
    await discovery.start();
    await discovery.refreshAll();
    expect(written).toHaveLength(1);
    expect(written[0]?.filter((l) => l.startsWith('devices,'))).toHaveLength(3);
    expect(written[0]?.filter((l) => l.startsWith('entities,'))).toHaveLength(5);
    connection.fire('entity_registry_updated', { action: 'remove', entity_id: 'sun.sun' });
    expect(written[1]).toEqual([
      expect.stringMatching(
        /^entities,domain=sun,entity_id=sun\.sun,platform=sun disabled=F,removed=T,unique_id="uid_sun\.sun" \d+000000000$/,
      ),
    ]);
    connection.registries.entities = connection.registries.entities.filter(
      (e) => e['entity_id'] !== 'sun.sun',
    );
    await clock.advance(500);
    expect(written).toHaveLength(2); // the refetch confirmed the removal: nothing new
    expect(discovery.stats().historyLines).toBe(9);
  });

  it('counts history writes that fail, as drops', async () => {
    const { discovery, drops } = setupDiscovery({
      historyWriter: () => Promise.reject(new Error('sink full')),
    });
    await discovery.refreshAll();
    await new Promise((resolve) => setImmediate(resolve));
    expect(discovery.stats().historyFailures).toBe(1);
    expect(drops).toEqual([
      { registry: 'history', reason: 'history_write_failed', detail: '8 lines: sink full' },
    ]);
  });

  it('reports a history point the encoder refuses as a drop and writes the others', async () => {
    const written: string[] = [];
    const { discovery, connection, drops } = setupDiscovery({
      historyWriter: (lines) => void written.push(...lines),
    });
    const [first] = connection.registries.devices;
    connection.registries.devices[0] = { ...first, model: 'm'.repeat(70_000) };
    await discovery.refreshAll();
    expect(drops).toEqual([
      {
        registry: 'history',
        reason: 'history_point_rejected',
        detail: 'devices point of dev1: series_key_too_long (measurement "devices")',
      },
    ]);
    expect(written.filter((line) => line.startsWith('devices,'))).toHaveLength(2);
    expect(written).toHaveLength(7);
    expect(discovery.stats()).toMatchObject({
      historyLines: 7,
      historyFailures: 0,
      issues: { 'history.history_point_rejected': 1 },
    });
  });

  it('is degraded before its first picture and healthy after', async () => {
    const { discovery } = setupDiscovery();
    const check = createRegistryHealthCheck(discovery);
    await discovery.start();
    expect(check.check()).toMatchObject({ status: 'degraded', reasons: ['no registry picture yet'] });
    await discovery.refreshAll();
    expect(check.check()).toMatchObject({ status: 'healthy', details: { counts: { entities: 5 } } });
    expect(check.critical).toBe(false);
  });
});
