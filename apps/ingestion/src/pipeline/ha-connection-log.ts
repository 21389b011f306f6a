import type { HaClientOptions } from '@homeiq/ha-client';
import type { Logger } from 'pino';

/** The ha-client hooks the operator's log is worded from. */
export type HaConnectionLogHooks = Required<
  Pick<
    HaClientOptions,
    'onReconnectAttempt' | 'onStateChange' | 'onDisconnected' | 'onHaLifecycle' | 'onResubscribeFailed'
  >
>;

/**
 * Words the operator's log of the HA connection, one line per event, from ha-client's hooks: the lib reports,
 * the app words (connects are logged where the pipeline reacts to them, in ingestion.ts).
 */
export function haConnectionLog(log: Logger): HaConnectionLogHooks {
  return {
    onReconnectAttempt: ({ attempt, maxRetries, delayMs, error }) => {
      const of = maxRetries < 0 ? '∞' : String(maxRetries);
      log.warn(
        { code: error.code, error: error.message },
        `Reconnection attempt ${attempt}/${of} in ${(delayMs / 1000).toFixed(1)}s`,
      );
    },
    onStateChange: ({ to, error }) => {
      // Giving up is reported through this hook only; the other states have their own hooks.
      if (to === 'failed')
        log.error({ code: error?.code }, error?.message ?? 'Gave up reconnecting to Home Assistant');
    },
    onDisconnected: ({ error }) => {
      log.warn({ code: error.code, error: error.message }, 'Disconnected from Home Assistant');
    },
    onHaLifecycle: ({ haState, haVersion, running }) => {
      if (!running)
        log.warn({ haState, haVersion }, 'Home Assistant is not running yet; subscriptions are in place');
    },
    onResubscribeFailed: ({ eventType, error, attempt, retryInMs }) => {
      log.warn({ eventType, code: error.code, attempt, retryInMs }, 'subscription rejected; retrying');
    },
  };
}
