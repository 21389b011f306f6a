import type { Logger } from '@homeiq/runtime';
import type { Session } from './correlation/session.js';
import { describeError } from './errors.js';
import { GET_CONFIG, SUBSCRIBE_EVENTS, subscribeEventsPayload } from './protocol/messages.js';
import type { HaLifecycleInfo } from './types.js';

const RUNNING = 'RUNNING';
/** Fired by HA core when it reaches RUNNING. */
const STARTED_EVENT = 'homeassistant_started';

/**
 * Reads HA's version and core state with `get_config` on a fresh connection and reports them. When HA is not
 * RUNNING yet (a client that reconnects fast meets HA while it starts; home-assistant-js-websocket#555 lost
 * trigger subscriptions that way), it listens for `homeassistant_started` on this connection only and reports
 * again once HA runs. Subscribing first and reading the state again closes the race with a start in between.
 */
export function watchLifecycle(
  session: Session,
  timeoutMs: number,
  logger: Logger,
  report: (info: HaLifecycleInfo) => void,
): void {
  const readConfig = async (): Promise<HaLifecycleInfo> =>
    toLifecycle(await session.command(GET_CONFIG, undefined, { timeoutMs }));
  const fail = (error: unknown): void => {
    if (session.alive) logger.warn('Could not read HA core state', { error: describeError(error) });
  };

  const waitForStart = async (): Promise<void> => {
    let reported = false;
    const reportOnce = (info: HaLifecycleInfo): void => {
      if (reported || !info.running) return;
      reported = true;
      report(info);
      session.unsubscribe(subscription.id, { timeoutMs }).catch(fail);
    };
    const subscription = session.subscribe(
      SUBSCRIBE_EVENTS,
      subscribeEventsPayload(STARTED_EVENT),
      () => {
        readConfig().then(reportOnce, fail);
      },
      { timeoutMs },
    );
    await subscription.result;
    reportOnce(await readConfig());
  };

  readConfig()
    .then((info) => {
      report(info);
      if (!info.running) return waitForStart();
      return undefined;
    })
    .catch(fail);
}

function toLifecycle(result: unknown): HaLifecycleInfo {
  const config = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  const version = config['version'];
  const state = config['state'];
  // A core that reports no `state` is taken to be running: there is nothing to wait for.
  const haState = typeof state === 'string' ? state : RUNNING;
  return { haVersion: typeof version === 'string' ? version : null, haState, running: haState === RUNNING };
}
