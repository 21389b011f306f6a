import type { StateMachine, StateWrite } from '../../model/state-machine.js';
import { fromWire } from '../../util/wire-text.js';
import type { SimTimers } from '../timers.js';
import { RecordedAttributes } from './recorded-attributes.js';
import { recordedSeconds } from './history-time.js';
import { firstAfter, rowOf, type Row } from './rows.js';
import type {
  HaSimRecorder,
  HistoryAnswerStats,
  RecordedState,
  ResolvedRecorderOptions,
} from './recorder-options.js';
import { seedRows, type SeedHistoryOptions } from './seed-history.js';

interface EntityRows {
  readonly domain: string;
  rows: Row[];
}

const DAY_MS = 86_400_000;

/**
 * The simulated recorder: every state write the home's state machine makes (HA's recorder writes a row per
 * `state_changed`), per entity in time order, with HA's commit interval (rows become visible to history only
 * once committed), retention (`purge_keep_days`) and exclusions.
 */
export class Recorder implements HaSimRecorder {
  readonly options: ResolvedRecorderOptions;
  readonly attributes = new RecordedAttributes();
  readonly #entities = new Map<string, EntityRows>();
  #pending: { entity: EntityRows; row: Row }[] = [];
  #timer: unknown = null;
  readonly #excluded: (entityId: string) => boolean;
  readonly #detach: () => void;
  readonly #answers = { requests: 0, messages: 0, bytes: 0, maxMessageBytes: 0 };

  constructor(
    readonly machine: StateMachine,
    options: ResolvedRecorderOptions,
    readonly now: () => number,
    readonly timers: SimTimers,
  ) {
    this.options = options;
    this.#excluded = excluder(options);
    // The recorder has been running as long as the home: every current state is a committed row.
    for (const record of machine.records.values()) {
      if (this.#excluded(record.def.entityId)) continue;
      this.#entity(record.def.entityId).rows.push(
        rowOf(record.state, record.attributesJson, record.lastUpdated, record.lastChanged),
      );
    }
    const observe = (write: StateWrite): void => {
      this.#write(write);
    };
    machine.writes.add(observe);
    this.#detach = () => machine.writes.delete(observe);
  }

  #entity(entityId: string): EntityRows {
    let entity = this.#entities.get(entityId);
    if (entity === undefined) {
      entity = { domain: entityId.slice(0, entityId.indexOf('.')), rows: [] };
      this.#entities.set(entityId, entity);
    }
    return entity;
  }

  #write(write: StateWrite): void {
    if (this.#excluded(write.entityId)) return;
    const record = write.record;
    const row =
      record === null
        ? rowOf(null, '{}', write.timeMicros, write.timeMicros)
        : rowOf(record.state, record.attributesJson, record.lastUpdated, record.lastChanged);
    this.#pending.push({ entity: this.#entity(write.entityId), row });
    if (this.options.commitIntervalMs === 0) this.commit();
    else if (this.#timer === null)
      this.#timer = this.timers.setTimeout(() => {
        this.#timer = null;
        this.commit();
      }, this.options.commitIntervalMs);
  }

  commit(): void {
    if (this.#timer !== null) {
      this.timers.clearTimeout(this.#timer);
      this.#timer = null;
    }
    const pending = this.#pending;
    this.#pending = [];
    for (const { entity, row } of pending) entity.rows.push(row);
    this.purge();
  }

  purge(): number {
    const cutoff = recordedSeconds((this.now() - this.options.purgeKeepDays * DAY_MS) * 1000);
    let removed = 0;
    for (const [entityId, entity] of this.#entities) {
      const keep = firstAfter(entity.rows, cutoff, true);
      if (keep === 0) continue;
      removed += keep;
      entity.rows = entity.rows.slice(keep);
      if (entity.rows.length === 0) this.#entities.delete(entityId);
    }
    return removed;
  }

  /** The committed rows of an entity, oldest first (undefined when the recorder has none). */
  rows(entityId: string): readonly Row[] | undefined {
    const rows = this.#entities.get(entityId)?.rows;
    return rows === undefined || rows.length === 0 ? undefined : rows;
  }

  /** HA `states_manager.oldest_ts`: the oldest committed row, or null when there is none. */
  oldestTs(): number | null {
    let oldest: number | null = null;
    for (const { rows } of this.#entities.values()) {
      const first = rows[0];
      if (first !== undefined && (oldest === null || first.lu < oldest)) oldest = first.lu;
    }
    return oldest;
  }

  history(entityId: string): RecordedState[] {
    const entity = this.#entities.get(entityId);
    if (entity === undefined) return [];
    return entity.rows.map((row) => ({
      entityId,
      state: row.state,
      attributes: JSON.parse(fromWire(this.attributes.json(entity.domain, row.attributesJson))) as Record<
        string,
        unknown
      >,
      lastUpdatedTs: row.lu,
      lastUpdatedMicros: row.luMicros,
      lastChangedMicros: row.lcMicros,
    }));
  }

  pendingWrites(): number {
    return this.#pending.length;
  }

  rowCount(): number {
    let count = 0;
    for (const { rows } of this.#entities.values()) count += rows.length;
    return count;
  }

  seedHistory(options: SeedHistoryOptions = {}): number {
    let added = 0;
    const nowMicros = Math.floor(this.now() * 1000);
    // Seeded rows end before the entity's first row, so they go in front, in order.
    const endOf = (entityId: string): number => this.#entities.get(entityId)?.rows[0]?.luMicros ?? nowMicros;
    for (const [entityId, seeded] of seedRows(this.machine, options, nowMicros, endOf)) {
      if (this.#excluded(entityId) || seeded.length === 0) continue;
      const entity = this.#entity(entityId);
      added += seeded.length;
      entity.rows = seeded.concat(entity.rows);
    }
    return added;
  }

  /** Counts one history request (history-commands.ts). */
  countRequest(): void {
    this.#answers.requests++;
  }

  /** Counts one message a history request was answered with. */
  countAnswer(message: string): void {
    // Wire text holds one UTF-8 byte per char (util/wire-text.ts): its length is its size on the socket.
    const bytes = message.length;
    this.#answers.messages++;
    this.#answers.bytes += bytes;
    if (bytes > this.#answers.maxMessageBytes) this.#answers.maxMessageBytes = bytes;
  }

  answerStats(): HistoryAnswerStats {
    return { ...this.#answers };
  }

  close(): void {
    if (this.#timer !== null) this.timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#detach();
  }
}

/** HA recorder `exclude` (`domains`, `entities`, `entity_globs` with fnmatch's `*` and `?`). */
function excluder(options: ResolvedRecorderOptions): (entityId: string) => boolean {
  const { domains, entities, entityGlobs } = options.exclude;
  const globs = entityGlobs.map(
    (glob) =>
      new RegExp(
        '^' +
          glob
            .split('')
            .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
            .join('') +
          '$',
      ),
  );
  const domainSet = new Set(domains);
  const entitySet = new Set(entities);
  if (domainSet.size === 0 && entitySet.size === 0 && globs.length === 0) return () => false;
  return (entityId) =>
    entitySet.has(entityId) ||
    domainSet.has(entityId.slice(0, entityId.indexOf('.'))) ||
    globs.some((glob) => glob.test(entityId));
}
