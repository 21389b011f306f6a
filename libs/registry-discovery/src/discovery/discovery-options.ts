import {
  createConsoleLogger,
  systemClock,
  systemRandom,
  type Clock,
  type Logger,
  type Random,
} from '@homeiq/runtime';
import type { Precision } from '@homeiq/event-normalizer';
import type { RegistryHistoryWriter } from '../history/history-lines.js';
import type { RegistryChange, RegistryKind } from '../model/types.js';
import { check, expectMethods, invalidOption } from '../options.js';
import type { PayloadIssue } from '../parse/parse-list.js';
import type { RegistryStore } from '../store/store.js';
import type { RegistryConnection } from './connection.js';

/**
 * Why something was not used or not kept (see {@link PayloadIssue}); for history, `history_point_rejected` (a point
 * the line encoder refused: nothing written for it) and `history_write_failed` (the writer threw or rejected).
 */
export type RegistryDropReason = PayloadIssue | 'history_point_rejected' | 'history_write_failed';

/** One drop, as reported to `onDrop`. */
export interface RegistryDrop {
  /** The registry concerned, `config_entries`, or `history`. */
  readonly registry: RegistryKind | 'config_entries' | 'history';
  readonly reason: RegistryDropReason;
  readonly detail: string;
}

/** One fetch that ended: a full refresh or one registry's refetch. */
export interface RegistryFetchInfo {
  readonly registries: readonly RegistryKind[];
  readonly full: boolean;
  readonly ok: boolean;
  readonly durationMs: number;
  /** Why it failed; null when it succeeded. */
  readonly error: { readonly code: string; readonly message: string } | null;
}

/**
 * Options for {@link createRegistryDiscovery}. The timer durations (`debounceMs`, `maxDebounceMs`,
 * `commandTimeoutMs`, `retryInitialDelayMs`, `retryMaxDelayMs`) are whole milliseconds up to 86400000 (one day): Node
 * fires a longer timer after 1 ms.
 */
export interface RegistryDiscoveryOptions {
  /** The Home Assistant connection (an `HaClient` from `@homeiq/ha-client` fits). */
  readonly connection: RegistryConnection;
  /** Where the picture is kept beyond memory. @default undefined (memory only) */
  readonly store?: RegistryStore;
  /** Quiet time after the last registry event before its registry is refetched. @default 500 */
  readonly debounceMs?: number;
  /** Longest wait between an event and the refetch that serves it, even while events keep coming. @default 5000 */
  readonly maxDebounceMs?: number;
  /** Deadline of each registry command. @default 30000 */
  readonly commandTimeoutMs?: number;
  /** First delay before a failed fetch is tried again; doubles per failure, with jitter. @default 1000 */
  readonly retryInitialDelayMs?: number;
  /** Cap of the retry delay. @default 60000 */
  readonly retryMaxDelayMs?: number;
  /** Share of a retry delay that jitter may take off (0.5: from half the delay to all of it). @default 0.5 */
  readonly retryJitterRatio?: number;
  /** Receives InfluxDB snapshot lines of devices and entities. @default undefined (no history) */
  readonly historyWriter?: RegistryHistoryWriter;
  /** Timestamp precision of the history lines: the precision the writer's InfluxDB writes use. @default 'ns' */
  readonly historyPrecision?: Precision;
  /** Called after every applied change of the picture. @default undefined */
  readonly onChange?: (change: RegistryChange) => void;
  /**
   * Called for every registry entry, field or event not used as sent, every history point that could not be
   * encoded and every history write that failed.
   */
  readonly onDrop?: (drop: RegistryDrop) => void;
  /**
   * Called when each fetch ends, for logs and metrics. Given this hook, discovery leaves the words of a failed fetch
   * to it; without it, a failed fetch is logged as a warning. @default undefined
   */
  readonly onFetch?: (info: RegistryFetchInfo) => void;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Jitter source of the retry delays. @default Math.random */
  readonly random?: Random;
  /** @default warnings and errors to the console, as `[registry-discovery] …` */
  readonly logger?: Logger;
}

/** Options with every default applied. */
export interface ResolvedDiscoveryOptions {
  readonly connection: RegistryConnection;
  readonly store: RegistryStore | undefined;
  readonly debounceMs: number;
  readonly maxDebounceMs: number;
  readonly commandTimeoutMs: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly retryJitterRatio: number;
  readonly historyWriter: RegistryHistoryWriter | undefined;
  readonly historyPrecision: Precision;
  readonly onChange: ((change: RegistryChange) => void) | undefined;
  readonly onDrop: ((drop: RegistryDrop) => void) | undefined;
  readonly onFetch: ((info: RegistryFetchInfo) => void) | undefined;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

const HISTORY_PRECISIONS: readonly Precision[] = ['ns', 'us', 'ms', 's'];

/** Applies defaults and validates; throws ERR_INVALID_OPTION naming the option. */
export function resolveDiscoveryOptions(options: RegistryDiscoveryOptions): ResolvedDiscoveryOptions {
  expectMethods('connection', options.connection, ['sendCommand', 'subscribeEvents']);
  if (options.store !== undefined) expectMethods('store', options.store, ['load', 'save', 'stats', 'close']);
  for (const hook of ['historyWriter', 'onChange', 'onDrop', 'onFetch', 'random'] as const) {
    if (options[hook] !== undefined) check.callback(hook, options[hook]);
  }
  if (options.clock !== undefined)
    expectMethods('clock', options.clock, ['now', 'setTimeout', 'clearTimeout']);
  const debounceMs = check.duration('debounceMs', options.debounceMs ?? 500, 0);
  const maxDebounceMs = check.duration('maxDebounceMs', options.maxDebounceMs ?? 5000, 0);
  if (maxDebounceMs < debounceMs) {
    throw invalidOption('maxDebounceMs', `>= \`debounceMs\` (${debounceMs})`, maxDebounceMs);
  }
  return {
    connection: options.connection,
    store: options.store,
    debounceMs,
    maxDebounceMs,
    commandTimeoutMs: check.duration('commandTimeoutMs', options.commandTimeoutMs ?? 30_000, 1),
    retryInitialDelayMs: check.duration('retryInitialDelayMs', options.retryInitialDelayMs ?? 1000, 1),
    retryMaxDelayMs: check.duration('retryMaxDelayMs', options.retryMaxDelayMs ?? 60_000, 1),
    retryJitterRatio: check.ratio('retryJitterRatio', options.retryJitterRatio ?? 0.5),
    historyWriter: options.historyWriter,
    historyPrecision: check.oneOf('historyPrecision', options.historyPrecision ?? 'ns', HISTORY_PRECISIONS),
    onChange: options.onChange,
    onDrop: options.onDrop,
    onFetch: options.onFetch,
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
    logger: options.logger ?? createConsoleLogger('registry-discovery'),
  };
}
