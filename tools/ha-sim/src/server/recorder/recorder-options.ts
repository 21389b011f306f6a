import { checkInteger, checkNumber } from '../../util/validate.js';
import type { SeedHistoryOptions } from './seed-history.js';

/** Entities the recorder does not keep (HA `recorder: exclude:`). */
export interface RecorderExclude {
  /** @default [] */
  readonly domains?: readonly string[];
  /** @default [] */
  readonly entities?: readonly string[];
  /** fnmatch patterns (`sensor.*_rssi`). @default [] */
  readonly entityGlobs?: readonly string[];
}

/** Options of the simulated recorder (HA core `components/recorder/const.py`, `core.py`). */
export interface RecorderOptions {
  /**
   * HA `commit_interval`: a write becomes visible to `history/*` once committed, at most this long after it
   * (the simulator arms the timer at the first pending write; HA ticks at a fixed rate). 0 commits each write.
   * @default 5000
   */
  readonly commitIntervalMs?: number;
  /**
   * HA `purge_keep_days`: rows older than this are purged at every commit and by `purge()` (HA purges once a
   * night, so it keeps up to a day more). @default 10
   */
  readonly purgeKeepDays?: number;
  /** @default {} */
  readonly exclude?: RecorderExclude;
}

export interface ResolvedRecorderOptions {
  readonly commitIntervalMs: number;
  readonly purgeKeepDays: number;
  readonly exclude: {
    readonly domains: readonly string[];
    readonly entities: readonly string[];
    readonly entityGlobs: readonly string[];
  };
}

/** One row the recorder keeps, as a test reads it. */
export interface RecordedState {
  readonly entityId: string;
  /** null for the row HA writes when an entity is removed. */
  readonly state: string | null;
  /** The attributes as recorded (unrecorded ones left out). */
  readonly attributes: Record<string, unknown>;
  /** `last_updated_ts` as HA stores it: float seconds, with sub-microsecond digits (history's `lu`). */
  readonly lastUpdatedTs: number;
  /** The state's `last_updated` (= the event's `time_fired`), epoch µs. */
  readonly lastUpdatedMicros: number;
  /** The state's `last_changed`, epoch µs. */
  readonly lastChangedMicros: number;
}

/** What the history commands answered so far: the load a reader put on the simulated HA (tools/bench/backfill). */
export interface HistoryAnswerStats {
  /** `history/history_during_period` and `history/stream` requests handled, errors included. */
  readonly requests: number;
  /** Messages those requests were answered with (a stream's result and events each count). */
  readonly messages: number;
  /** UTF-8 bytes of those messages as the server wrote them, before any permessage-deflate. */
  readonly bytes: number;
  /** The largest one message. */
  readonly maxMessageBytes: number;
}

/** The simulator's recorder, as tests drive and read it. */
export interface HaSimRecorder {
  readonly options: ResolvedRecorderOptions;
  /** Commits every pending write now (what HA does every `commit_interval`), then purges. */
  commit(): void;
  /** Removes the rows older than `purgeKeepDays`; returns how many. */
  purge(): number;
  /** The committed rows of one entity, oldest first. */
  history(entityId: string): RecordedState[];
  /** Writes not committed yet (invisible to `history/*`). */
  pendingWrites(): number;
  /** Committed rows, all entities. */
  rowCount(): number;
  /**
   * Fills the recorder with past history (no events, states unchanged): realistic changes before each
   * entity's first row, back `days` days. Returns the rows added.
   */
  seedHistory(options?: SeedHistoryOptions): number;
  /** The history commands' answers so far. */
  answerStats(): HistoryAnswerStats;
}

function checkList(name: string, value: readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw new TypeError(`Expected \`${name}\` to be a list of strings, got \`${String(value)}\``);
  return [...(value as readonly string[])];
}

/** Applies defaults and validates, in one place. */
export function resolveRecorderOptions(options: RecorderOptions): ResolvedRecorderOptions {
  return {
    commitIntervalMs: checkInteger('recorder.commitIntervalMs', options.commitIntervalMs ?? 5000, 0),
    purgeKeepDays: checkNumber('recorder.purgeKeepDays', options.purgeKeepDays ?? 10, 0),
    exclude: {
      domains: checkList('recorder.exclude.domains', options.exclude?.domains),
      entities: checkList('recorder.exclude.entities', options.exclude?.entities),
      entityGlobs: checkList('recorder.exclude.entityGlobs', options.exclude?.entityGlobs),
    },
  };
}
