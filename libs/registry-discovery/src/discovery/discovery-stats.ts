import { describeError } from '../errors.js';
import { REGISTRY_KINDS, type RegistryKind } from '../model/types.js';
import type { RegistryStoreStats } from '../store/store.js';

/** A snapshot of discovery for health, metrics and debugging. */
export interface DiscoveryStats {
  readonly started: boolean;
  readonly closed: boolean;
  /** Where the current picture came from: nothing yet, the store (before HA answered), or HA. */
  readonly source: 'empty' | 'store' | 'home-assistant';
  readonly counts: { readonly [K in RegistryKind]: number };
  /** False on HA without a floor registry (before 2024.4); null until known. */
  readonly floorsSupported: boolean | null;
  readonly lastRefreshAtMs: number | null;
  readonly lastRefreshDurationMs: number | null;
  /** Full refreshes that succeeded. */
  readonly fullRefreshes: number;
  /** Single-registry refetches that succeeded, by registry. */
  readonly refetches: { readonly [K in RegistryKind]: number };
  /** Fetches (full or single) that failed; each is retried with backoff. */
  readonly fetchFailures: number;
  /** True when the most recent fetch failed. */
  readonly lastFetchFailed: boolean;
  /** Registries with a fetch in flight now. */
  readonly inFlight: readonly RegistryKind[];
  readonly eventsReceived: { readonly [K in RegistryKind]: number };
  /** Counts of unusable input by `<registry>.<issue>`, e.g. `entities.bad_entry`; `…duplicate_id` counts skipped entries. */
  readonly issues: Readonly<Record<string, number>>;
  readonly storeFailures: number;
  readonly historyLines: number;
  readonly historyFailures: number;
  readonly lastError: { readonly code: string; readonly message: string; readonly atMs: number } | null;
  /** The store's own stats; null without a store. */
  readonly store: RegistryStoreStats | null;
}

const perKind = (): Record<RegistryKind, number> =>
  Object.fromEntries(REGISTRY_KINDS.map((kind) => [kind, 0])) as Record<RegistryKind, number>;

/** Mutable counters behind {@link DiscoveryStats}. */
export class DiscoveryCounters {
  fullRefreshes = 0;
  readonly refetches = perKind();
  readonly eventsReceived = perKind();
  readonly issues: Record<string, number> = {};
  fetchFailures = 0;
  lastFetchFailed = false;
  storeFailures = 0;
  historyLines = 0;
  historyFailures = 0;
  lastRefreshAtMs: number | null = null;
  lastRefreshDurationMs: number | null = null;
  lastError: DiscoveryStats['lastError'] = null;

  /** Counts `count` entries (a duplicated id's repeats come in one report) under `<registry>.<issue>`. */
  issue(registry: string, issue: string, count = 1): void {
    const key = `${registry}.${issue}`;
    this.issues[key] = (this.issues[key] ?? 0) + count;
  }

  /** The stats, from these counters and what only discovery knows. */
  snapshot(
    live: Pick<
      DiscoveryStats,
      'started' | 'closed' | 'source' | 'counts' | 'floorsSupported' | 'inFlight' | 'store'
    >,
  ): DiscoveryStats {
    return {
      ...live,
      lastRefreshAtMs: this.lastRefreshAtMs,
      lastRefreshDurationMs: this.lastRefreshDurationMs,
      fullRefreshes: this.fullRefreshes,
      refetches: { ...this.refetches },
      fetchFailures: this.fetchFailures,
      lastFetchFailed: this.lastFetchFailed,
      eventsReceived: { ...this.eventsReceived },
      issues: { ...this.issues },
      storeFailures: this.storeFailures,
      historyLines: this.historyLines,
      historyFailures: this.historyFailures,
      lastError: this.lastError,
    };
  }

  error(error: unknown, atMs: number): void {
    const { code, message } = describeError(error);
    this.lastError = { code, message, atMs };
  }
}
