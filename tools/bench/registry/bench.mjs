// Benchmark of the registry answers for a 5,000-entity / 1,000-device home: the service's data-api routes
// (apps/ingestion/src/http/registry-api, over @homeiq/registry-discovery's view) and discovery's lookups.
//
//   npx nx run ingestion:build && node tools/bench/registry/bench.mjs [--entities 5000] [--devices 1000]
//
// Each query is timed up to its JSON text (what the HTTP layer sends), against a baseline
// measured in the same run: the same query in SQL on the SQLite file the store wrote (the original data-api's
// way, docs/decisions.md: SQLite with a JOIN for entity counts). lookup() is timed against a plain Map.get of the
// same ids and against a four-Map join per call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createRegistryDiscovery, createSqliteRegistryStore } from '@homeiq/registry-discovery';
// The app's built routes: the query API is the service's HTTP contract, not the library's.
import { createRegistryApi, queryEntities } from '../../../apps/ingestion/dist/http/registry-api/index.js';
import { fakeConnection, syntheticHome } from './home.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const ENTITIES = arg('entities', 5000);
const DEVICES = arg('devices', 1000);

/** Median and p95 in ms of `fn`, after warm-up. */
function time(fn, iterations = 200) {
  for (let i = 0; i < 20; i++) fn();
  const samples = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p95: samples[Math.floor(samples.length * 0.95)] };
}

const fmt = (ms) => (ms < 0.1 ? ms.toFixed(3) : ms.toFixed(2)).padStart(7);

const dir = mkdtempSync(join(tmpdir(), 'bench-registry-'));
try {
  const home = syntheticHome({ entities: ENTITIES, devices: DEVICES });
  const store = createSqliteRegistryStore({ dataDir: dir });
  const discovery = createRegistryDiscovery({ connection: fakeConnection(home), store, logger: quiet() });
  await discovery.start();

  let start = performance.now();
  await discovery.refreshAll();
  const firstRefreshMs = performance.now() - start;
  start = performance.now();
  await discovery.refreshAll();
  const unchangedRefreshMs = performance.now() - start;
  await discovery.close();
  const status = discovery.stats();
  console.log(
    `home: ${status.counts.entities} entities, ${status.counts.devices} devices, ${status.counts.areas} areas, ` +
      `${status.counts.floors} floors (node ${process.version})`,
  );
  console.log(
    `refreshAll (fetch + parse + apply + SQLite save): first ${firstRefreshMs.toFixed(1)} ms, unchanged ${unchangedRefreshMs.toFixed(1)} ms`,
  );

  // SQLite baseline: the data-api's queries over the store's tables (live rows only).
  const db = new Database(join(dir, 'registry.sqlite'), { readonly: true });
  const devicesSql = (where, limit, joinPlatform) =>
    db.prepare(
      `SELECT d.device_id, d.name, d.name_by_user, d.manufacturer, d.model, d.integration, d.sw_version, d.area_id,
              d.config_entry_id, d.via_device_id, d.last_seen_at, d.labels, d.serial_number, d.model_id,
              count(e.entity_id) AS entity_count
         FROM devices d ${joinPlatform ? 'JOIN' : 'LEFT JOIN'} entities e
           ON e.device_id = d.device_id AND e.removed_at IS NULL ${joinPlatform ? 'AND e.platform = @platform' : ''}
        WHERE d.removed_at IS NULL ${where}
        GROUP BY d.device_id LIMIT ${limit}`,
    );
  const entitiesSql = (where, limit) =>
    db.prepare(
      `SELECT entity_id, device_id, domain, platform, unique_id, area_id, disabled_by, config_entry_id, last_seen_at,
              name, original_name, icon, labels, entity_category
         FROM entities WHERE removed_at IS NULL ${where} LIMIT ${limit}`,
    );
  const areasSql = db.prepare(
    `SELECT a.area_id, a.name, a.floor_id, f.name AS floor_name,
            (SELECT count(*) FROM devices d WHERE d.area_id = a.area_id AND d.removed_at IS NULL) AS device_count,
            (SELECT count(*) FROM entities e LEFT JOIN devices d ON d.device_id = e.device_id
              WHERE coalesce(e.area_id, d.area_id) = a.area_id AND e.removed_at IS NULL) AS entity_count
       FROM areas a LEFT JOIN floors f ON f.floor_id = a.floor_id WHERE a.removed_at IS NULL`,
  );
  const someDevice = home.devices[123].id;
  const api = createRegistryApi({ view: discovery.view() });
  // A route's body: the answer object, or the JSON text the entities route sends.
  const answer = (result) => {
    if (!result.ok) throw new Error(result.error);
    return result.body;
  };
  const cases = [
    ['/api/devices', () => answer(api.devices({})), () => devicesSql('', 100).all()],
    [
      '/api/devices?limit=1000',
      () => answer(api.devices({ limit: '1000' })),
      () => devicesSql('', 1000).all(),
    ],
    [
      '/api/devices?platform=hue&limit=1000',
      () => answer(api.devices({ platform: 'hue', limit: '1000' })),
      () => devicesSql('', 1000, true).all({ platform: 'hue' }),
    ],
    [
      '/api/devices?area_id=area_3',
      () => answer(api.devices({ area_id: 'area_3' })),
      () => devicesSql("AND d.area_id = 'area_3'", 100).all(),
    ],
    ['/api/entities', () => answer(api.entities({})), () => entitiesSql('', 100).all()],
    [
      '/api/entities?limit=10000',
      () => answer(api.entities({ limit: '10000' })),
      () => entitiesSql('', 10000).all(),
    ],
    [
      '  same via queryEntities + JSON.stringify',
      () => queryEntities(discovery.view(), { limit: 10000 }, Date.now()),
      () => entitiesSql('', 10000).all(),
    ],
    [
      '/api/entities?domain=sensor&limit=10000',
      () => answer(api.entities({ domain: 'sensor', limit: '10000' })),
      () => entitiesSql("AND domain = 'sensor'", 10000).all(),
    ],
    [
      '/api/entities?device_id=…',
      () => answer(api.entities({ device_id: someDevice })),
      () => entitiesSql(`AND lower(device_id) = lower('${someDevice}')`, 100).all(),
    ],
    ['/api/areas', () => answer(api.areas({})), () => areasSql.all()],
  ];
  console.log(
    '\nquery (up to its JSON text)             ours median / p95 ms   SQLite baseline median ms   ratio',
  );
  // The entities route answers JSON text (per-entity JSON kept until the picture changes); the others objects.
  const json = (value) => (typeof value === 'string' ? value : JSON.stringify(value));
  for (const [name, ours, baseline] of cases) {
    const a = time(() => json(ours()));
    const b = time(() => JSON.stringify(baseline()));
    console.log(
      `${name.padEnd(40)} ${fmt(a.median)} / ${fmt(a.p95)}          ${fmt(b.median)}              ${(a.median / b.median).toPrecision(2)}x`,
    );
  }
  db.close();

  // lookup(): the normalizer's per-event enrichment, against a bare Map.get over the same ids, and against
  // joining four Maps of the wire records per call (the join the normalizer used to do inline).
  const ids = home.entities.map((e) => e.entity_id);
  const map = new Map(ids.map((id) => [id, { id }]));
  const entities = new Map(home.entities.map((e) => [e.entity_id, e]));
  const devices = new Map(home.devices.map((d) => [d.id, d]));
  const areas = new Map(home.areas.map((a) => [a.area_id, a]));
  const floors = new Map(home.floors.map((f) => [f.floor_id, f]));
  const N = 1_000_000;
  const perCall = (fn) => {
    let sink = 0;
    for (let i = 0; i < 200_000; i++) sink += fn(ids[i % ids.length]) === undefined ? 0 : 1;
    const begin = performance.now();
    for (let i = 0; i < N; i++) sink += fn(ids[(i * 7919) % ids.length]) === undefined ? 0 : 1;
    const ns = ((performance.now() - begin) * 1e6) / N;
    if (sink === 0) throw new Error('nothing found');
    return ns;
  };
  const lookupNs = perCall((id) => discovery.lookup(id));
  const joinNs = perCall((id) => {
    const entity = entities.get(id);
    const device = entity?.device_id ? devices.get(entity.device_id) : undefined;
    const area = areas.get(entity?.area_id ?? device?.area_id ?? '');
    return area?.floor_id ? floors.get(area.floor_id) : entity;
  });
  const mapNs = perCall((id) => map.get(id));
  console.log(
    `\nlookup(entityId), cached context:        ${lookupNs.toFixed(1)} ns/call   (${(lookupNs / mapNs).toFixed(2)}x a bare Map.get: ${mapNs.toFixed(1)} ns)`,
  );
  console.log(
    `four Maps joined per call (no cache):    ${joinNs.toFixed(1)} ns/call   (${(joinNs / mapNs).toFixed(2)}x a bare Map.get)`,
  );

  // Restart: the stored picture read back.
  start = performance.now();
  const picture = await store.load();
  console.log(
    `\nSQLite load of the stored picture: ${(performance.now() - start).toFixed(1)} ms (${picture.entities.length} entities)`,
  );
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function quiet() {
  const ignore = () => undefined;
  return { debug: ignore, info: ignore, warn: console.warn, error: console.error };
}
