import type { Clock, Logger } from '@homeiq/runtime';
import { describeError } from '../errors.js';
import type { Precision } from '@homeiq/event-normalizer';
import { historyLines, type RegistryHistoryWriter } from '../history/history-lines.js';
import { isEmptyChange, type RegistryChange } from '../model/types.js';
import type { RegistryView } from '../model/view.js';
import type { RegistryStore } from '../store/store.js';
import type { RegistryDrop, RegistryDropReason } from './discovery-options.js';
import type { DiscoveryCounters } from './discovery-stats.js';

/** What the emitter hands each change to, and where it counts failures. */
export interface EmitterDeps {
  readonly store: RegistryStore | undefined;
  readonly view: RegistryView;
  readonly historyWriter: RegistryHistoryWriter | undefined;
  /** Timestamp precision of history lines: the precision the writer's InfluxDB writes use. */
  readonly historyPrecision: Precision;
  readonly onChange: ((change: RegistryChange) => void) | undefined;
  readonly counters: DiscoveryCounters;
  readonly report: (registry: RegistryDrop['registry'], reason: RegistryDropReason, detail: string) => void;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Runs a user hook, logging what it throws. */
  readonly guarded: (hook: string, call: () => void) => void;
}

/** Hands an applied change on; `drained()` waits for the saves still running. */
export interface ChangeEmitter {
  (change: RegistryChange): void;
  drained(): Promise<void>;
}

/**
 * Sends each applied change to the store (not awaited: a store keeps its own order; failures are counted), the
 * history writer (a snapshot after a full refresh even when nothing changed, as the original service wrote one
 * per discovery: docs/decisions.md#influxdb-points) and `onChange`. A change with nothing in it and no listed
 * registry goes nowhere.
 */
export function createChangeEmitter(deps: EmitterDeps): ChangeEmitter {
  const { store, view, counters, logger, clock } = deps;
  const pendingSaves = new Set<Promise<void>>();

  /** A store's save as a promise, even when it throws instead of rejecting. */
  function saveTo(target: RegistryStore, change: RegistryChange): Promise<void> {
    try {
      return target.save(change, view);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  function writeHistory(writer: RegistryHistoryWriter, change: RegistryChange): void {
    const { lines, rejected } = historyLines(change, view, deps.historyPrecision);
    for (const point of rejected) {
      deps.report(
        'history',
        'history_point_rejected',
        `${point.measurement} point of ${point.id}: ${point.reason} (${point.detail})`,
      );
    }
    if (lines.length === 0) return;
    const failed = (error: unknown): void => {
      counters.historyFailures += 1;
      deps.report(
        'history',
        'history_write_failed',
        `${lines.length} lines: ${describeError(error).message}`,
      );
    };
    try {
      const written = writer(lines);
      counters.historyLines += lines.length;
      if (written instanceof Promise) written.catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  const emit = (change: RegistryChange): void => {
    const empty = isEmptyChange(change);
    if (empty && change.listed.length === 0) return;
    if (store !== undefined) {
      const saving = saveTo(store, change).catch((error: unknown) => {
        counters.storeFailures += 1;
        counters.error(error, clock.now());
        logger.warn('registry store save failed', { error: describeError(error) });
      });
      pendingSaves.add(saving);
      void saving.then(() => pendingSaves.delete(saving));
    }
    if (deps.historyWriter !== undefined && (!empty || change.reason === 'refresh')) {
      writeHistory(deps.historyWriter, change);
    }
    if (!empty) deps.guarded('onChange', () => deps.onChange?.(change));
  };
  return Object.assign(emit, {
    drained: async (): Promise<void> => {
      await Promise.all(pendingSaves);
    },
  });
}
