import {
  backoffDelayMs,
  createConsoleLogger,
  systemClock,
  systemRandom,
  type BackoffSettings,
  type Clock,
  type Logger,
  type Random,
  type TimerHandle,
} from '@homeiq/runtime';
import { describeError, RegistryDiscoveryError } from '../errors.js';
import type { DeviceRecord, EntityRecord, RegistryChange } from '../model/types.js';
import type { RegistryView } from '../model/view.js';
import { check } from '../options.js';
import type { RegistryStore, RegistryStoreStats } from '../store/store.js';
import { createZigbeeDetector, devicePayload } from './device-payload.js';
import { postWithRetry, type FetchLike, type PostDeps } from './http-post.js';

/** Options for {@link createDataApiRegistryStore}. */
export interface DataApiRegistryStoreOptions {
  /** Base URL of the data-api (`DATA_API_URL`), e.g. `http://data-api:8006`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <apiKey>` (`DATA_API_API_KEY`). @default undefined (no header) */
  readonly apiKey?: string | undefined;
  /** Entries per request; the original sent the whole registry in one (docs/decisions.md). @default 500 */
  readonly chunkSize?: number;
  /** Deadline of one HTTP request. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Attempts per chunk before the flush fails (and is tried again later). @default 5 */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per attempt, with jitter. @default 500 */
  readonly retryInitialDelayMs?: number;
  /** Cap of every retry delay, also of the delay before a failed flush is tried again. @default 60000 */
  readonly retryMaxDelayMs?: number;
  /** Share of a retry delay that jitter may take off (0.5: from half the delay to all of it). @default 0.5 */
  readonly retryJitterRatio?: number;
  /**
   * Post every live device and entity after each full refresh (a reconnect), as the original did
   * (docs/decisions.md#the-data-api-contract). @default true
   */
  readonly resyncOnRefresh?: boolean;
  /** HTTP client. @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Jitter source of the retry delays. @default Math.random */
  readonly random?: Random;
  /** @default warnings and errors to the console, as `[registry-discovery] …` */
  readonly logger?: Logger;
}

/** Stats of the data-api store: what is waiting, what was sent, what failed. */
export interface DataApiStoreStats extends RegistryStoreStats {
  readonly kind: 'data-api';
  readonly url: string;
  /** Entries waiting to be posted (kept until posted; one per id). */
  readonly pendingDevices: number;
  readonly pendingEntities: number;
  readonly devicesSent: number;
  readonly entitiesSent: number;
  readonly requests: number;
  readonly failedRequests: number;
  readonly retries: number;
  /** Removals seen: the data-api has no delete endpoint, so they are counted here and not sent. */
  readonly removalsNotSent: number;
  readonly consecutiveFailures: number;
  readonly lastSuccessAtMs: number | null;
}

/** The data-api store. */
export interface DataApiRegistryStore extends RegistryStore {
  stats(): DataApiStoreStats;
}

const DEVICES_PATH = '/internal/devices/bulk_upsert';
const ENTITIES_PATH = '/internal/entities/bulk_upsert';

/**
 * Creates the store that posts to the data-api (docs/decisions.md#the-data-api-contract): raw HA registry dicts to
 * `bulk_upsert`, devices before entities, in chunks, each retried with backoff. Changes wait in a map keyed by id
 * (latest wins), so a slow or absent data-api costs at most one entry per registry entry, never an unbounded queue;
 * a failed flush keeps its entries and is tried again after a backoff. It cannot load a picture back.
 */
export function createDataApiRegistryStore(options: DataApiRegistryStoreOptions): DataApiRegistryStore {
  const url = check.text('url', options.url).replace(/\/+$/, '');
  const chunkSize = check.integer('chunkSize', options.chunkSize ?? 500, 1);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const logger = options.logger ?? createConsoleLogger('registry-discovery');
  const retry: BackoffSettings = {
    initialDelayMs: check.duration('retryInitialDelayMs', options.retryInitialDelayMs ?? 500, 0),
    maxDelayMs: check.duration('retryMaxDelayMs', options.retryMaxDelayMs ?? 60_000, 1),
    jitterRatio: check.ratio('retryJitterRatio', options.retryJitterRatio ?? 0.5),
  };
  const resyncOnRefresh = options.resyncOnRefresh ?? true;
  const fetchFn = check.callback('fetch', options.fetch ?? globalThis.fetch);
  if (options.apiKey !== undefined) check.text('apiKey', options.apiKey);
  const closing = new AbortController();
  const counts = {
    saves: 0,
    failedSaves: 0,
    devicesSent: 0,
    entitiesSent: 0,
    requests: 0,
    failedRequests: 0,
    retries: 0,
  };
  let removalsNotSent = 0;
  let consecutiveFailures = 0;
  let lastSuccessAtMs: number | null = null;
  let lastError: DataApiStoreStats['lastError'] = null;
  const pendingDevices = new Map<string, DeviceRecord>();
  const pendingEntities = new Map<string, EntityRecord>();
  let view: RegistryView | undefined;
  let chain: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  let retryTimer: TimerHandle | undefined;

  const postDeps: PostDeps = {
    fetch: fetchFn,
    clock,
    random,
    baseUrl: url,
    apiKey: options.apiKey,
    requestTimeoutMs: check.duration('requestTimeoutMs', options.requestTimeoutMs ?? 30_000, 1),
    maxAttempts: check.integer('maxAttempts', options.maxAttempts ?? 5, 1),
    retry,
    signal: closing.signal,
    onAttempt(ok, error) {
      counts.requests += 1;
      if (ok) return;
      counts.failedRequests += 1;
      if (error?.retryable === true) counts.retries += 1;
    },
  };

  async function postAll<R>(
    path: string,
    records: readonly R[],
    toPayload: (r: R) => unknown,
  ): Promise<number> {
    let sent = 0;
    for (let i = 0; i < records.length; i += chunkSize) {
      const chunk = records.slice(i, i + chunkSize);
      await postWithRetry(postDeps, path, chunk.map(toPayload));
      sent += chunk.length;
    }
    return sent;
  }

  /** Takes everything pending and posts it; on failure puts back what was not posted (unless newer exists). */
  async function flush(): Promise<void> {
    const devices = [...pendingDevices.values()];
    const entities = [...pendingEntities.values()];
    pendingDevices.clear();
    pendingEntities.clear();
    if (devices.length + entities.length === 0 || view === undefined) return;
    const zigbee = createZigbeeDetector(view);
    let devicesDone = false;
    try {
      // Devices first: the data-api's entities reference them (docs/decisions.md#bugs-we-do-not-repeat).
      counts.devicesSent += await postAll(DEVICES_PATH, devices, (d) => devicePayload(d, zigbee));
      devicesDone = true;
      counts.entitiesSent += await postAll(ENTITIES_PATH, entities, (e) => e.raw);
    } catch (error) {
      if (!devicesDone)
        for (const d of devices) if (!pendingDevices.has(d.deviceId)) pendingDevices.set(d.deviceId, d);
      for (const e of entities) if (!pendingEntities.has(e.entityId)) pendingEntities.set(e.entityId, e);
      throw error;
    }
  }

  function enqueue(): Promise<void> {
    // Saves made while a flush runs share the next flush; at most one flush waits behind the running one.
    queued ??= chain.then(async () => {
      queued = undefined;
      try {
        await flush();
        counts.saves += 1;
        consecutiveFailures = 0;
        lastError = null;
        lastSuccessAtMs = clock.now();
      } catch (error) {
        counts.failedSaves += 1;
        consecutiveFailures += 1;
        const { code, message } = describeError(error);
        lastError = { code, message, atMs: clock.now() };
        if (code !== 'ERR_CLOSED') scheduleRetry();
        throw error;
      }
    });
    const current = queued;
    chain = current.catch(() => undefined); // the failure is in stats() and reaches the caller through `current`
    return current;
  }

  function scheduleRetry(): void {
    if (retryTimer !== undefined || closing.signal.aborted) return;
    // At least 1 ms first: with `retryInitialDelayMs: 0` a data-api that is down would be re-flushed in a busy loop.
    const settings = { ...retry, initialDelayMs: Math.max(1, retry.initialDelayMs) };
    // Background: nobody awaits this flush (the saves it retries have already been rejected).
    retryTimer = clock.setTimeout(
      () => {
        retryTimer = undefined;
        enqueue().catch((error: unknown) => {
          logger.warn('data-api retry flush failed', { error: describeError(error) });
        });
      },
      backoffDelayMs(consecutiveFailures, settings, random()),
      { keepAlive: false },
    );
  }

  return {
    load: () => Promise.resolve(undefined),
    save(change: RegistryChange, current: RegistryView) {
      if (closing.signal.aborted) {
        return Promise.reject(
          new RegistryDiscoveryError('ERR_CLOSED', 'The data-api store is closed', { retryable: false }),
        );
      }
      view = current;
      const resync = resyncOnRefresh && change.reason === 'refresh';
      for (const d of resync ? current.devices() : change.devices.upserted) pendingDevices.set(d.deviceId, d);
      for (const e of resync ? current.entities() : change.entities.upserted)
        pendingEntities.set(e.entityId, e);
      for (const d of change.devices.removed) pendingDevices.delete(d.deviceId);
      for (const e of change.entities.removed) pendingEntities.delete(e.entityId);
      removalsNotSent += change.devices.removed.length + change.entities.removed.length;
      return enqueue();
    },
    stats: () => ({
      kind: 'data-api',
      url,
      healthy: consecutiveFailures === 0,
      ...counts,
      pendingDevices: pendingDevices.size,
      pendingEntities: pendingEntities.size,
      removalsNotSent,
      consecutiveFailures,
      lastSuccessAtMs,
      lastError,
    }),
    async close() {
      if (retryTimer !== undefined) clock.clearTimeout(retryTimer);
      retryTimer = undefined;
      closing.abort();
      await chain;
    },
  };
}
