import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RegistryState } from '../model/registry-state.js';
import { createView } from '../model/view.js';
import { entityRaw, smallHome } from '../testing-internal/fixtures.js';
import { parsedLists } from '../testing-internal/parsed.js';
import { tempDir } from '../testing-internal/temp-dir.js';
import { createSqliteRegistryStore, type SqliteRegistryStore } from './sqlite-store.js';

describe('SQLite registry store', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteRegistryStore;
  let state: RegistryState;
  let view: ReturnType<typeof createView>;

  beforeEach(() => {
    state = new RegistryState();
    view = createView(state);
    dir = tempDir();
    store = createSqliteRegistryStore({ dataDir: join(dir.path, 'data') });
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  function rows(sql: string): unknown[] {
    const db = new Database(store.stats().path, { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  }

  it('creates the file under the data directory in WAL mode, with the four tables', () => {
    expect(store.stats()).toMatchObject({
      kind: 'sqlite',
      healthy: true,
      path: join(dir.path, 'data', 'registry.sqlite'),
    });
    expect(rows('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    const tables = rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    expect(tables).toEqual([
      { name: 'areas' },
      { name: 'devices' },
      { name: 'entities' },
      { name: 'floors' },
      { name: 'meta' },
    ]);
  });

  it('gives back exactly the records it was given (same fingerprints), in list order', async () => {
    expect(await store.load()).toBeUndefined();
    const fresh = new RegistryState();
    const change = fresh.replace(parsedLists(smallHome()), 1000, 'refresh');
    await store.save(change, createView(fresh));
    const picture = await store.load();
    expect(picture?.entities.map((e) => e.record)).toEqual(change.entities.upserted);
    expect(picture?.devices.map((e) => e.record)).toEqual(change.devices.upserted);
    expect(picture?.devices[1]?.record.integration).toBe('hue');
    expect(picture?.areas.map((e) => e.record)).toEqual(change.areas.upserted);
    expect(picture?.floors.map((e) => [e.record.floorId, e.seenAtMs])).toEqual([
      ['ground', 1000],
      ['upstairs', 1000],
    ]);
    // Reloaded into a state, an unchanged list is no change at all.
    const restarted = new RegistryState();
    if (picture) restarted.load(picture);
    const again = restarted.replace(parsedLists(smallHome()), 2000, 'refresh');
    expect(
      [again.devices, again.entities, again.areas, again.floors].every(
        (k) => k.upserted.length + k.removed.length === 0,
      ),
    ).toBe(true);
  });

  it('keeps removed rows with removed_at, hides them from load, and revives them when they come back', async () => {
    await store.save(state.replace(parsedLists(smallHome()), 1000, 'refresh'), view);
    await store.save(state.remove('entities', 'sun.sun', 2000), view);
    expect(rows("SELECT entity_id, removed_at FROM entities WHERE entity_id = 'sun.sun'")).toEqual([
      { entity_id: 'sun.sun', removed_at: 2000 },
    ]);
    expect((await store.load())?.entities.map((e) => e.record.entityId)).not.toContain('sun.sun');

    await store.save(state.replace(parsedLists({ entities: smallHome().entities }), 3000, 'refetch'), view);
    expect(
      rows("SELECT removed_at, first_seen_at, updated_at FROM entities WHERE entity_id = 'sun.sun'"),
    ).toEqual([{ removed_at: null, first_seen_at: 1000, updated_at: 3000 }]);
  });

  it('records a rename as the old row removed and the new row live', async () => {
    await store.save(state.replace(parsedLists(smallHome()), 1000, 'refresh'), view);
    await store.save(state.renameEntity('switch.coffee', 'switch.espresso', 1500), view);
    expect(
      rows(
        "SELECT entity_id, device_id, removed_at FROM entities WHERE entity_id LIKE 'switch.%' ORDER BY entity_id",
      ),
    ).toEqual([
      { entity_id: 'switch.coffee', device_id: 'dev3', removed_at: 1500 },
      { entity_id: 'switch.espresso', device_id: 'dev3', removed_at: null },
    ]);
  });

  it('marks every live row of a listed registry as seen, without rewriting unchanged rows', async () => {
    await store.save(state.replace(parsedLists(smallHome()), 1000, 'refresh'), view);
    const home = smallHome();
    home.entities.push(entityRaw('light.extra'));
    await store.save(state.replace(parsedLists({ entities: home.entities }), 5000, 'refetch'), view);
    expect(
      rows(
        "SELECT entity_id, updated_at, last_seen_at FROM entities WHERE entity_id IN ('light.extra', 'sun.sun') ORDER BY entity_id",
      ),
    ).toEqual([
      { entity_id: 'light.extra', updated_at: 5000, last_seen_at: 5000 },
      { entity_id: 'sun.sun', updated_at: 1000, last_seen_at: 5000 },
    ]);
    expect(rows("SELECT last_seen_at FROM devices WHERE device_id = 'dev1'")).toEqual([
      { last_seen_at: 1000 },
    ]);
  });

  it('skips and counts a stored row it cannot read back', async () => {
    await store.save(state.replace(parsedLists(smallHome()), 1000, 'refresh'), view);
    const db = new Database(store.stats().path);
    db.prepare("UPDATE entities SET raw = '{broken' WHERE entity_id = 'sun.sun'").run();
    db.close();
    expect((await store.load())?.entities).toHaveLength(4);
    expect(store.stats().unreadableRows).toBe(1);
  });

  it('fails to open with ERR_STORE when the data directory cannot be used, and rejects saves after close', async () => {
    const file = join(dir.path, 'a-file');
    writeFileSync(file, 'x');
    expect(() => createSqliteRegistryStore({ dataDir: file })).toThrow(
      `Cannot open the registry database ${join(file, 'registry.sqlite')}`,
    );
    expect(() => createSqliteRegistryStore({ dataDir: '' })).toThrow(
      'Expected `dataDir` to be a non-empty string, got `""` (string)',
    );
    await store.close();
    await expect(store.save(state.remove('floors', 'x', 1), view)).rejects.toMatchObject({
      code: 'ERR_CLOSED',
    });
  });
});
