import type { Session } from './correlation/session.js';
import { describeError } from './errors.js';
import { Heartbeat } from './heartbeat.js';
import { callHook } from './hooks.js';
import { watchLifecycle } from './lifecycle.js';
import type { ResolvedOptions } from './options.js';
import { COALESCE_FEATURES, SUPPORTED_FEATURES } from './protocol/messages.js';
import type { StatsRecorder } from './stats.js';
import type { SubscriptionRegistry } from './subscriptions/registry.js';
import type { Link } from './transport/link.js';

/**
 * Sets up a session on a freshly authenticated link, in HA's order: `supported_features` first (coalescing then
 * applies to everything after it), `get_config` for the lifecycle, then every subscription, then the heartbeat.
 * A consumer's snapshot command sent from `onGap`/`onConnected` thus reaches HA after the subscriptions, and HA
 * handles commands in order, so no change falls between snapshot and stream.
 */
export function setUpSession(
  link: Link,
  session: Session,
  options: ResolvedOptions,
  stats: StatsRecorder,
  registry: SubscriptionRegistry,
): Heartbeat | undefined {
  const { logger, commandTimeoutMs } = options;
  if (options.coalesceMessages) {
    session
      .command(SUPPORTED_FEATURES, COALESCE_FEATURES, { timeoutMs: commandTimeoutMs })
      .catch((error: unknown) => {
        if (session.alive) logger.warn('supported_features was rejected', { error: describeError(error) });
      });
  }
  watchLifecycle(session, commandTimeoutMs, logger, (info) => {
    stats.haVersion = info.haVersion ?? stats.haVersion;
    stats.haState = info.haState;
    // Not RUNNING yet is reported through onHaLifecycle only; the app words it.
    callHook(options, 'onHaLifecycle', info);
  });
  registry.attach(session);
  // No heartbeat when it is off, or when the socket already died while the setup frames were written.
  if (options.heartbeatIntervalMs === 0 || !link.ready) return undefined;
  const heartbeat = new Heartbeat(link, session, options.clock, {
    intervalMs: options.heartbeatIntervalMs,
    pongTimeoutMs: options.pongTimeoutMs,
  });
  heartbeat.start();
  return heartbeat;
}
