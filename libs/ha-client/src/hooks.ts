import { describeError } from './errors.js';
import type { ResolvedOptions } from './options.js';

type HookName =
  | 'onStateChange'
  | 'onConnected'
  | 'onDisconnected'
  | 'onReconnectAttempt'
  | 'onGap'
  | 'onResubscribeFailed'
  | 'onHaLifecycle'
  | 'onDrop';

type HookPayload<K extends HookName> = Parameters<NonNullable<ResolvedOptions[K]>>[0];

/**
 * Calls a consumer hook. A hook that throws must not break the connection state machine halfway through a
 * transition, so the exception is logged (with the hook's name) and the client carries on.
 */
export function callHook<K extends HookName>(
  options: ResolvedOptions,
  name: K,
  payload: HookPayload<K>,
): void {
  const hook = options[name] as ((payload: HookPayload<K>) => void) | undefined;
  if (hook === undefined) return;
  try {
    hook(payload);
  } catch (error) {
    options.logger.error(`Hook ${name} threw`, { error: describeError(error) });
  }
}
