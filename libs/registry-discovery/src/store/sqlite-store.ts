import { join } from 'node:path';
import { makeDirectories } from '@homeiq/runtime';
import Database from 'better-sqlite3';
import { describeError, RegistryDiscoveryError } from '../errors.js';
import type { Entry } from '../model/kind-table.js';
import type { StoredPicture } from '../model/registry-state.js';
import { REGISTRY_KINDS, type RecordOf, type RegistryChange, type RegistryKind } from '../model/types.js';
import { check } from '../options.js';
import { readStoredRow, type StoredRow } from './sqlite-rows.js';
import { SCHEMA_VERSION, schemaSql, TABLES, type TableSpec } from './sqlite-schema.js';
import type { RegistryStore, RegistryStoreStats } from './store.js';

/** Options for {@link createSqliteRegistryStore}. */
export interface SqliteRegistryStoreOptions {
  /** Directory of the database file; created when missing. */
  readonly dataDir: string;
  /** File name inside `dataDir`. @default 'registry.sqlite' */
  readonly fileName?: string;
}

/** Stats of the SQLite store. */
export interface SqliteStoreStats extends RegistryStoreStats {
  readonly kind: 'sqlite';
  /** Absolute or relative path of the database file. */
  readonly path: string;
  /** Rows whose stored JSON could not be read back at load (skipped). */
  readonly unreadableRows: number;
}

/** The embedded store. */
export interface SqliteRegistryStore extends RegistryStore {
  stats(): SqliteStoreStats;
}

type Statement = Database.Statement;

interface TableStatements {
  readonly spec: TableSpec<never>;
  readonly upsert: Statement;
  readonly remove: Statement;
  readonly touch: Statement;
  readonly selectLive: Statement;
}

function prepare(db: Database.Database, spec: TableSpec<never>): TableStatements {
  const names = [
    ...spec.columns.map(([name]) => name),
    'raw',
    'first_seen_at',
    'updated_at',
    'last_seen_at',
    'removed_at',
  ];
  const updates = names
    .filter((name) => name !== spec.key && name !== 'first_seen_at')
    .map((name) => `${name} = excluded.${name}`);
  return {
    spec,
    upsert: db.prepare(
      `INSERT INTO ${spec.table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})
       ON CONFLICT (${spec.key}) DO UPDATE SET ${updates.join(', ')}`,
    ),
    remove: db.prepare(
      `UPDATE ${spec.table} SET removed_at = ? WHERE ${spec.key} = ? AND removed_at IS NULL`,
    ),
    touch: db.prepare(`UPDATE ${spec.table} SET last_seen_at = ? WHERE removed_at IS NULL`),
    selectLive:
      db.prepare(`SELECT raw, last_seen_at, ${spec.table === 'devices' ? 'integration' : 'NULL AS integration'}
       FROM ${spec.table} WHERE removed_at IS NULL ORDER BY rowid`),
  };
}

/**
 * Creates the embedded store: SQLite through better-sqlite3 in WAL mode (readers never block the writer; a crash
 * loses at most the last transaction), one file under `dataDir`. Each change is one transaction, so a restart sees
 * either the picture before a change or after it. Opening is synchronous and throws ERR_STORE on failure.
 */
export function createSqliteRegistryStore(options: SqliteRegistryStoreOptions): SqliteRegistryStore {
  const dataDir = check.text('dataDir', options.dataDir);
  const path = join(dataDir, check.text('fileName', options.fileName ?? 'registry.sqlite'));
  let db: Database.Database | undefined;
  try {
    makeDirectories(dataDir);
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.exec(schemaSql());
    const version = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('schema_version');
    if (version === undefined)
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
    else if (version !== String(SCHEMA_VERSION))
      throw new Error(`schema version ${JSON.stringify(version)} is not ${SCHEMA_VERSION}`);
  } catch (error) {
    // A file that opened but is not a usable database (corrupt, another schema) must not keep its descriptor.
    db?.close();
    throw new RegistryDiscoveryError(
      'ERR_STORE',
      `Cannot open the registry database ${path}: ${describeError(error).message}`,
      {
        retryable: false,
        cause: error,
      },
    );
  }
  const statements = new Map<RegistryKind, TableStatements>(
    REGISTRY_KINDS.map((kind) => [kind, prepare(db, TABLES[kind] as TableSpec<never>)]),
  );
  const table = (kind: RegistryKind): TableStatements => statements.get(kind) as TableStatements;
  let saves = 0;
  let failedSaves = 0;
  let unreadableRows = 0;
  let lastError: SqliteStoreStats['lastError'] = null;
  let closed = false;

  const apply = db.transaction((change: RegistryChange) => {
    for (const kind of REGISTRY_KINDS) {
      const { spec, upsert, remove } = table(kind);
      for (const record of change[kind].upserted as readonly never[]) {
        const values = spec.columns.map(([, , read]) => read(record));
        const raw = JSON.stringify((record as { raw: unknown }).raw);
        upsert.run(...values, raw, change.atMs, change.atMs, change.atMs, null);
      }
      for (const record of change[kind].removed) {
        remove.run(change.atMs, (spec.columns[0] as TableSpec<never>['columns'][number])[2](record as never));
      }
    }
    for (const kind of change.listed) table(kind).touch.run(change.atMs);
  });

  function loadKind<K extends RegistryKind>(kind: K): Entry<RecordOf[K]>[] {
    const entries: Entry<RecordOf[K]>[] = [];
    for (const row of table(kind).selectLive.all() as StoredRow[]) {
      const entry = readStoredRow(kind, row);
      if (entry === undefined) unreadableRows += 1;
      else entries.push(entry);
    }
    return entries;
  }

  return {
    load() {
      try {
        const picture: StoredPicture = {
          floors: loadKind('floors'),
          areas: loadKind('areas'),
          devices: loadKind('devices'),
          entities: loadKind('entities'),
        };
        const empty = REGISTRY_KINDS.every((kind) => picture[kind].length === 0);
        return Promise.resolve(empty ? undefined : picture);
      } catch (error) {
        return Promise.reject(storeError('load', error));
      }
    },
    save(change) {
      if (closed)
        return Promise.reject(
          new RegistryDiscoveryError('ERR_CLOSED', 'The registry store is closed', { retryable: false }),
        );
      try {
        apply(change);
        saves += 1;
        lastError = null;
        return Promise.resolve();
      } catch (error) {
        failedSaves += 1;
        const wrapped = storeError('save', error);
        lastError = { code: wrapped.code, message: wrapped.message, atMs: change.atMs };
        return Promise.reject(wrapped);
      }
    },
    stats: () => ({
      kind: 'sqlite',
      path,
      healthy: lastError === null,
      saves,
      failedSaves,
      unreadableRows,
      lastError,
    }),
    close() {
      if (!closed) {
        closed = true;
        db.close();
      }
      return Promise.resolve();
    },
  };
}

function storeError(what: string, error: unknown): RegistryDiscoveryError {
  return new RegistryDiscoveryError(
    'ERR_STORE',
    `Registry database ${what} failed: ${describeError(error).message}`,
    {
      retryable: true,
      cause: error,
    },
  );
}
