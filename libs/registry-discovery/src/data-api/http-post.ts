import { backoffDelayMs, clampDelayMs, type BackoffSettings, type Clock, type Random } from '@homeiq/runtime';
import { DataApiHttpError, describeError, RegistryDiscoveryError } from '../errors.js';

/** The `fetch` subset used (the global fetch satisfies it). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** What a retrying POST needs. */
export interface PostDeps {
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly random: Random;
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
  readonly retry: BackoffSettings;
  /** Aborts waits and requests when the store closes. */
  readonly signal: AbortSignal;
  /** Each HTTP attempt, after it ends. */
  readonly onAttempt: (ok: boolean, error: RegistryDiscoveryError | undefined) => void;
}

/** `Retry-After` in seconds or as an HTTP date, as milliseconds; undefined when absent or unreadable. */
function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Waits before the next attempt. Like the request deadline in {@link postOnce}, this timer is part of a pending save
 * (discovery's `close()` waits for its saves), so it keeps the default and holds the process open while it runs.
 */
function sleep(deps: PostDeps, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (deps.signal.aborted) {
      reject(closedError());
      return;
    }
    const onAbort = (): void => {
      deps.clock.clearTimeout(timer);
      reject(closedError());
    };
    const timer = deps.clock.setTimeout(() => {
      deps.signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    deps.signal.addEventListener('abort', onAbort, { once: true });
  });
}

function closedError(): RegistryDiscoveryError {
  return new RegistryDiscoveryError('ERR_CLOSED', 'The data-api store was closed', { retryable: false });
}

/** One POST with a deadline. Throws a RegistryDiscoveryError that says whether a retry can help. */
async function postOnce(deps: PostDeps, path: string, body: string): Promise<void> {
  const controller = new AbortController();
  const deadline = { passed: false };
  const timer = deps.clock.setTimeout(() => {
    deadline.passed = true;
    controller.abort();
  }, deps.requestTimeoutMs);
  const onClose = (): void => {
    controller.abort();
  };
  deps.signal.addEventListener('abort', onClose, { once: true });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (deps.apiKey !== undefined) headers['authorization'] = `Bearer ${deps.apiKey}`;
  try {
    const res = await deps.fetch(deps.baseUrl + path, {
      method: 'POST',
      headers,
      body,
      signal: controller.signal,
    });
    const text = await res.text();
    if (!res.ok)
      throw new DataApiHttpError(
        path,
        res.status,
        text,
        retryAfterMs(res.headers.get('retry-after'), deps.clock.now()),
      );
  } catch (error) {
    if (error instanceof RegistryDiscoveryError) throw error;
    if (deps.signal.aborted) throw closedError();
    if (deadline.passed) {
      throw new RegistryDiscoveryError(
        'ERR_DATA_API_TIMEOUT',
        `data-api ${path} gave no answer within ${deps.requestTimeoutMs} ms`,
        {
          retryable: true,
          cause: error,
        },
      );
    }
    throw new RegistryDiscoveryError(
      'ERR_DATA_API_NETWORK',
      `data-api ${path} unreachable: ${describeError(error).message}`,
      {
        retryable: true,
        cause: error,
      },
    );
  } finally {
    deps.clock.clearTimeout(timer);
    deps.signal.removeEventListener('abort', onClose);
  }
}

/**
 * POSTs a JSON body, retrying retryable failures (network, timeout, 408/429/5xx) with jittered exponential
 * backoff — honouring `Retry-After` up to `retry.maxDelayMs` — for at most `maxAttempts` attempts. The original
 * service posted once and only logged a failure (docs/decisions.md#bugs-we-do-not-repeat).
 */
export async function postWithRetry(deps: PostDeps, path: string, payload: unknown): Promise<void> {
  const body = JSON.stringify(payload);
  for (let attempt = 1; ; attempt++) {
    try {
      await postOnce(deps, path, body);
      deps.onAttempt(true, undefined);
      return;
    } catch (error) {
      const failure = error as RegistryDiscoveryError;
      if (failure.code === 'ERR_CLOSED') throw failure;
      deps.onAttempt(false, failure);
      if (!failure.retryable || attempt >= deps.maxAttempts) throw failure;
      const hinted = failure instanceof DataApiHttpError ? failure.retryAfterMs : undefined;
      const delay = hinted ?? backoffDelayMs(attempt, deps.retry, deps.random());
      await sleep(deps, clampDelayMs(delay, deps.retry.maxDelayMs));
    }
  }
}
