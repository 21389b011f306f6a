import { describeError } from '../errors.js';
import { CachedLookup, type RegistryLookup } from '../lookup/entity-context.js';
import { RegistryState } from '../model/registry-state.js';
import { REGISTRY_KINDS, type RegistryKind } from '../model/types.js';
import { createView, type RegistryView } from '../model/view.js';
import { RefetchScheduler } from '../refetch/scheduler.js';
import type { Unsubscribe } from './connection.js';
import {
  resolveDiscoveryOptions,
  type RegistryDiscoveryOptions,
  type RegistryDrop,
  type RegistryDropReason,
} from './discovery-options.js';
import { DiscoveryCounters, type DiscoveryStats } from './discovery-stats.js';
import { createChangeEmitter } from './emit-change.js';
import { fetchAll, fetchKind, type FetchDeps, type FetchedLists } from './fetch-lists.js';
import { readRegistryUpdate, REGISTRY_EVENT_TYPES } from './registry-events.js';

/** Keeps the device, entity, area and floor registries of one Home Assistant current, stored and indexed. */
export interface RegistryDiscovery extends RegistryLookup {
  /** Loads the stored picture (if a store is set) and subscribes to the registry update events. Call once. */
  start(): Promise<void>;
  /**
   * Refetches every registry as one picture and swaps it in atomically; call it from the connection's
   * "connected" hook on every (re)connect. Waits for fetches in flight first. Resolves false when it failed
   * (it is then retried with backoff; `stats().lastError` says why).
   */
  refreshAll(): Promise<boolean>;
  /**
   * The current picture, read-only and live (the same object on every call; each read sees the picture as it is
   * then). Empty until the store has loaded or HA has answered.
   */
  view(): RegistryView;
  stats(): DiscoveryStats;
  /** Ends the subscriptions, cancels timers and waits for pending saves. The store is left open (it is yours). */
  close(): Promise<void>;
}

/** An event that changes the picture at once, before the refetch confirms it. */
type ImmediateOp =
  | { readonly type: 'remove'; readonly id: string }
  | { readonly type: 'rename'; readonly from: string; readonly to: string };

/** Creates discovery over a connection. Nothing happens until `start()` and `refreshAll()`. */
export function createRegistryDiscovery(options: RegistryDiscoveryOptions): RegistryDiscovery {
  const o = resolveDiscoveryOptions(options);
  const { clock, logger, store } = o;
  const state = new RegistryState();
  const view = createView(state);
  const lookup = new CachedLookup(state, view);
  const counters = new DiscoveryCounters();
  // Removals and renames seen while a fetch of their registry is in flight: re-applied on top of its (older) list.
  const opLogs = new Map<RegistryKind, ImmediateOp[]>();
  const unsubscribes: Unsubscribe[] = [];
  let started: Promise<void> | undefined;
  let closed = false;
  let source: DiscoveryStats['source'] = 'empty';
  let floorsSupported: boolean | null = null;

  const report = (
    registry: RegistryDrop['registry'],
    reason: RegistryDropReason,
    detail: string,
    count = 1,
  ): void => {
    counters.issue(registry, reason, count);
    guarded('onDrop', () => o.onDrop?.({ registry, reason, detail }));
  };
  const emit = createChangeEmitter({
    store,
    view,
    historyWriter: o.historyWriter,
    historyPrecision: o.historyPrecision,
    onChange: o.onChange,
    counters,
    report,
    logger,
    clock,
    guarded,
  });
  const fetchDeps: Omit<FetchDeps, 'keepAlive'> = {
    connection: o.connection,
    clock,
    commandTimeoutMs: o.commandTimeoutMs,
    report,
    onSoftFailure(error) {
      counters.error(error, clock.now());
      logger.warn('config entries could not be read; integrations keep their last known names', {
        error: describeError(error),
      });
    },
  };

  function guarded(hook: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      logger.error(`${hook} hook threw`, { error: describeError(error) });
    }
  }

  function applyOp(kind: RegistryKind, op: ImmediateOp): void {
    const now = clock.now();
    emit(op.type === 'remove' ? state.remove(kind, op.id, now) : state.renameEntity(op.from, op.to, now));
  }

  function reportFetch(
    kinds: readonly RegistryKind[],
    startedAtMs: number,
    error: { readonly code: string; readonly message: string } | null,
  ): void {
    const info = {
      registries: kinds,
      full: kinds.length === REGISTRY_KINDS.length,
      ok: error === null,
      durationMs: clock.now() - startedAtMs,
      error,
    };
    guarded('onFetch', () => o.onFetch?.(info));
  }

  async function runFetch(
    kinds: readonly RegistryKind[],
    fetch: () => Promise<FetchedLists>,
  ): Promise<boolean> {
    const startedAtMs = clock.now();
    for (const kind of kinds) opLogs.set(kind, []);
    try {
      const fetched = await fetch();
      if (closed) return false;
      if (fetched.floorsSupported !== undefined) floorsSupported = fetched.floorsSupported;
      const full = kinds.length === REGISTRY_KINDS.length;
      emit(state.replace(fetched.lists, clock.now(), full ? 'refresh' : 'refetch'));
      source = 'home-assistant';
      for (const kind of kinds) for (const op of opLogs.get(kind) ?? []) applyOp(kind, op);
      counters.lastFetchFailed = false;
      if (full) {
        counters.fullRefreshes += 1;
        counters.lastRefreshAtMs = clock.now();
        counters.lastRefreshDurationMs = clock.now() - startedAtMs;
      } else for (const kind of kinds) counters.refetches[kind] += 1;
      reportFetch(kinds, startedAtMs, null);
      return true;
    } catch (error) {
      counters.fetchFailures += 1;
      counters.lastFetchFailed = true;
      counters.error(error, clock.now());
      // One owner per line: with an onFetch hook the app words the failure (it gets `ok: false` and the error).
      if (o.onFetch === undefined) {
        logger.warn(`registry fetch of ${kinds.join(', ')} failed; retrying with backoff`, {
          error: describeError(error),
        });
      }
      reportFetch(kinds, startedAtMs, describeError(error));
      return false;
    } finally {
      for (const kind of kinds) opLogs.delete(kind);
    }
  }

  const scheduler = new RefetchScheduler({
    clock,
    random: o.random,
    debounceMs: o.debounceMs,
    maxDebounceMs: o.maxDebounceMs,
    retry: {
      initialDelayMs: o.retryInitialDelayMs,
      maxDelayMs: o.retryMaxDelayMs,
      jitterRatio: o.retryJitterRatio,
    },
    // A debounced refetch is background work; a full refresh is what `refreshAll()` awaits, so the deadlines of its
    // commands keep the process alive until they answer or expire.
    runKind: (kind) => runFetch([kind], () => fetchKind({ ...fetchDeps, keepAlive: false }, kind)),
    runFull: () => runFetch(REGISTRY_KINDS, () => fetchAll({ ...fetchDeps, keepAlive: true })),
  });

  function onEvent(kind: RegistryKind, data: unknown): void {
    if (closed) return;
    counters.eventsReceived[kind] += 1;
    const update = readRegistryUpdate(kind, data);
    if (typeof update === 'string') report(kind, 'bad_event', update);
    else if (update.id !== null) {
      // `changes` holds old values, so only removals and renames can be applied before the refetch.
      let op: ImmediateOp | undefined;
      if (update.action === 'remove') op = { type: 'remove', id: update.id };
      else if (update.oldEntityId !== null && update.oldEntityId !== update.id) {
        op = { type: 'rename', from: update.oldEntityId, to: update.id };
      }
      if (op !== undefined) {
        applyOp(kind, op);
        opLogs.get(kind)?.push(op);
      }
    }
    scheduler.markDirty(kind);
  }

  async function start(): Promise<void> {
    if (store !== undefined) {
      try {
        const picture = await store.load();
        // A refresh that finished while the store was loading is newer: keep it.
        if (picture !== undefined && source === 'empty') {
          state.load(picture);
          source = 'store';
        }
      } catch (error) {
        counters.storeFailures += 1;
        counters.error(error, clock.now());
        logger.warn('registry store load failed; starting empty', { error: describeError(error) });
      }
    }
    for (const kind of REGISTRY_KINDS) {
      unsubscribes.push(
        await o.connection.subscribeEvents(REGISTRY_EVENT_TYPES[kind], (event) => {
          onEvent(kind, event.data);
        }),
      );
    }
  }

  return {
    lookup: (entityId) => lookup.lookup(entityId),
    start: () => (started ??= start()),
    refreshAll: () => scheduler.requestFull(),
    view: () => view,
    stats: () =>
      counters.snapshot({
        started: started !== undefined,
        closed,
        source,
        counts: {
          devices: state.devices.size,
          entities: state.entities.size,
          areas: state.areas.size,
          floors: state.floors.size,
        },
        floorsSupported,
        inFlight: scheduler.inFlight(),
        store: store?.stats() ?? null,
      }),
    async close() {
      if (closed) return;
      closed = true;
      scheduler.close();
      for (const unsubscribe of unsubscribes.splice(0)) {
        try {
          await unsubscribe();
        } catch (error) {
          logger.debug('unsubscribe failed while closing', { error: describeError(error) });
        }
      }
      await emit.drained();
    },
  };
}
