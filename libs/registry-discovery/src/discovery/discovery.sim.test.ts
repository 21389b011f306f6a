import { createHaClient, type HaClient } from '@homeiq/ha-client';
import { startHaSim, type HaSim, type HaSimOptions, type HomeModel } from '@homeiq/ha-sim';
import type { RegistryConnection } from './connection.js';
import { createRegistryDiscovery, type RegistryDiscovery } from './discovery.js';
import type { RegistryDiscoveryOptions } from './discovery-options.js';
import { memoryLogger } from '../testing-internal/setup-discovery.js';

// Compile-time proof that ha-client's client is a RegistryConnection as it is, with no adapter.
const acceptsHaClient = (client: HaClient): RegistryConnection => client;

/** ha-sim + a real ha-client over loopback sockets + discovery wired the way the app wires it. */
interface SimHarness {
  readonly sim: HaSim;
  readonly client: HaClient;
  readonly discovery: RegistryDiscovery;
  /** Highest number of commands of one type in flight at once, by type (seen on the client side). */
  readonly maxInFlight: Map<string, number>;
  /** Resolves once `predicate()` holds, re-checked after every change of the picture and every fetch. */
  until(predicate: () => boolean, what: string): Promise<void>;
  /** Resolves when discovery next sends a command of this type. */
  nextCommand(type: string): Promise<void>;
  close(): Promise<void>;
}

async function startSimHarness(
  simOptions: HaSimOptions,
  discoveryOptions: Partial<RegistryDiscoveryOptions> = {},
): Promise<SimHarness> {
  const sim = await startHaSim(simOptions);
  const quiet = memoryLogger();
  const waiters = new Set<() => void>();
  const recheck = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  const commandWaiters: { type: string; resolve: () => void }[] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const client = createHaClient({
    url: sim.url,
    accessToken: sim.token,
    logger: quiet,
    retryInitialDelayMs: 1,
    retryMaxDelayMs: 20,
    // What the app does: a full refresh on every (re)connect.
    onConnected: () => void discovery.refreshAll().then(recheck),
  });
  const direct = acceptsHaClient(client);
  const counting: RegistryConnection = {
    async sendCommand(type, payload) {
      const now = (inFlight.get(type) ?? 0) + 1;
      inFlight.set(type, now);
      maxInFlight.set(type, Math.max(now, maxInFlight.get(type) ?? 0));
      for (const waiter of commandWaiters.filter((w) => w.type === type)) {
        commandWaiters.splice(commandWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      try {
        return await direct.sendCommand(type, payload);
      } finally {
        inFlight.set(type, (inFlight.get(type) ?? 1) - 1);
      }
    },
    subscribeEvents: (eventType, handler) => direct.subscribeEvents(eventType, handler),
  };
  const discovery = createRegistryDiscovery({
    connection: counting,
    debounceMs: 20,
    maxDebounceMs: 200,
    logger: quiet,
    ...discoveryOptions,
    onChange: (change) => {
      discoveryOptions.onChange?.(change);
      recheck();
    },
    // The fetch's slot is freed just after this hook: look again on the next turn.
    onFetch: () => setImmediate(recheck),
  });
  await discovery.start();
  client.start();
  return {
    sim,
    client,
    discovery,
    maxInFlight,
    nextCommand: (type) => new Promise((resolve) => commandWaiters.push({ type, resolve })),
    until(predicate, what) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          let ok: boolean;
          try {
            ok = predicate();
          } catch (error) {
            waiters.delete(check);
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (!ok) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
        // Not a timing assertion: only a clearer failure than jest's timeout.
        setTimeout(() => {
          if (waiters.delete(check)) reject(new Error(`timed out waiting for ${what}`));
        }, 10_000).unref();
      });
    },
    async close() {
      await discovery.close();
      await client.close();
      await sim.close();
    },
  };
}

/** What the lookup of every entity of `home` must say, from the simulator's own registries. */
function expectPictureMatches(discovery: RegistryDiscovery, home: HomeModel): void {
  const stats = discovery.stats();
  expect(stats.counts).toEqual({
    devices: home.devices.length,
    entities: home.entities.length,
    areas: home.areas.length,
    floors: home.floors.length,
  });
  for (const entity of home.entities) {
    // The simulator's own join, compared on the fields this check has always covered.
    const context = home.entityContext(entity.entity_id)!;
    const expected = Object.fromEntries(
      Object.entries(context).filter(([field]) => field !== 'labels' && field !== 'model'),
    );
    expect(discovery.lookup(entity.entity_id)).toMatchObject(expected);
  }
}

describe('registry discovery against tools/ha-sim over real sockets (ha-client)', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.close();
  });

  it('follows adds, renames, moves, removals and new floors made while states stream', async () => {
    h = await startSimHarness({ home: { entities: 200, seed: 7 } });
    const { sim, discovery } = h;
    await h.until(() => discovery.stats().fullRefreshes === 1, 'the first refresh');
    expectPictureMatches(discovery, sim.home);
    const stream = sim.stream({ ratePerSecond: 400 });
    try {
      const area = sim.home.areas[0]?.area_id ?? '';
      const { deviceId, entityIds } = sim.home.addDevice({ template: 'plug', areaId: area });
      await h.until(
        () => entityIds.every((id) => discovery.lookup(id)?.deviceId === deviceId),
        'the new device',
      );

      const renamed = `${entityIds[0] ?? ''}_renamed`;
      sim.home.renameEntity(entityIds[0] ?? '', renamed);
      await h.until(
        () => discovery.lookup(renamed) !== undefined && discovery.lookup(entityIds[0] ?? '') === undefined,
        'the rename',
      );

      const floorId = sim.home.addFloor('Attic', 3);
      const atticArea = sim.home.addArea('Attic room', floorId);
      sim.home.moveDeviceToArea(deviceId, atticArea);
      await h.until(() => discovery.lookup(renamed)?.floorName === 'Attic', 'the move to a new floor');

      const other = sim.home.areas[1]?.area_id ?? '';
      sim.home.moveEntityToArea(renamed, other);
      await h.until(() => discovery.lookup(renamed)?.areaId === other, "the entity's own area");

      sim.home.removeArea(other);
      await h.until(
        () => discovery.lookup(renamed)?.areaId === atticArea,
        'the removed area falling back to the device area',
      );

      sim.home.removeDevice(deviceId);
      await h.until(
        () => discovery.lookup(renamed) === undefined && discovery.view().device(deviceId) === undefined,
        'the removal',
      );
    } finally {
      stream.stop();
    }
    await h.until(
      () =>
        discovery.stats().inFlight.length === 0 &&
        discovery.stats().counts.entities === sim.home.entities.length,
      'quiet',
    );
    expectPictureMatches(discovery, sim.home);
    expect(discovery.stats().issues).toEqual({});
    expect(Math.max(...h.maxInFlight.values())).toBe(1);
  }, 30_000);

  it('answers a storm of 1,000 registry events with a few refetches, one in flight at a time', async () => {
    h = await startSimHarness({ home: { entities: 300, seed: 11 } }, { debounceMs: 50, maxDebounceMs: 1000 });
    const { sim, discovery } = h;
    await h.until(() => discovery.stats().fullRefreshes === 1, 'the first refresh');
    const entities = sim.home.entities.filter((e) => e.disabled_by === null).slice(0, 250);
    for (let i = 0; i < 1000; i++) {
      const entity = entities[i % entities.length];
      if (entity) sim.home.setEntityName(entity.entity_id, `Name ${i}`);
    }
    const last = entities[999 % entities.length];
    await h.until(() => discovery.lookup(last?.entity_id ?? '')?.name === 'Name 999', 'the last name');
    await h.until(() => discovery.stats().inFlight.length === 0, 'no fetch in flight');
    const lists = sim.stats().commandsByType['config/entity_registry/list'] ?? 0;
    expect(discovery.stats().eventsReceived.entities).toBe(1000);
    expect(lists - 1).toBeGreaterThanOrEqual(1);
    expect(lists - 1).toBeLessThanOrEqual(5);
    expect(h.maxInFlight.get('config/entity_registry/list')).toBe(1);
  }, 30_000);

  it('recovers when the connection drops while a refetch waits for its answer', async () => {
    h = await startSimHarness({ home: { entities: 120, seed: 5 } });
    const { sim, discovery } = h;
    await h.until(() => discovery.stats().fullRefreshes === 1, 'the first refresh');
    sim.delayReplies(300, ['config/entity_registry/list']);
    const victim = sim.home.entities.find((e) => e.device_id !== null)?.entity_id ?? '';
    const refetchSent = h.nextCommand('config/entity_registry/list');
    sim.home.setEntityName(victim, 'Before the drop');
    await refetchSent;
    expect(discovery.stats().inFlight).toEqual(['entities']);
    sim.dropConnections(1012);
    sim.delayReplies(0);
    sim.home.removeEntity(victim);
    await h.until(() => discovery.stats().fullRefreshes === 2, 'the refresh after reconnecting');
    await h.until(() => discovery.stats().inFlight.length === 0, 'no fetch in flight');
    expect(discovery.lookup(victim)).toBeUndefined();
    expectPictureMatches(discovery, sim.home);
    expect(h.maxInFlight.get('config/entity_registry/list')).toBe(1);
    expect(discovery.stats().fetchFailures).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
