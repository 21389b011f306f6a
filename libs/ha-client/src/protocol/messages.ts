/**
 * Builders for the frames the client sends. HA's snake_case wire names live here and in `parse.ts` only.
 * Command payloads are HA's own content (`service_data`, `event_type`…) and pass through unchanged.
 */

/** The only frame allowed in the auth phase; HA rejects any extra key, including `id`. */
export function authFrame(accessToken: string): string {
  return JSON.stringify({ type: 'auth', access_token: accessToken });
}

/** Any command. `payload` must not contain `id` or `type` (checked by the caller). */
export function commandFrame(
  id: number,
  type: string,
  payload: Readonly<Record<string, unknown>> | undefined,
): string {
  return JSON.stringify(payload === undefined ? { id, type } : { ...payload, id, type });
}

/** Command type that turns on coalescing: HA then batches queued messages into one JSON-array frame. */
export const SUPPORTED_FEATURES = 'supported_features';
/** Payload of {@link SUPPORTED_FEATURES}: any int value for the key switches coalescing on. */
export const COALESCE_FEATURES: Readonly<Record<string, unknown>> = {
  features: { coalesce_messages: 1 },
};

export const SUBSCRIBE_EVENTS = 'subscribe_events';
export const UNSUBSCRIBE_EVENTS = 'unsubscribe_events';
export const GET_CONFIG = 'get_config';
export const PING = 'ping';

/** Payload of `subscribe_events`. Leaving out `event_type` means HA's MATCH_ALL (`*`). */
export function subscribeEventsPayload(eventType: string | undefined): Readonly<Record<string, unknown>> {
  return eventType === undefined ? {} : { event_type: eventType };
}

/** Payload of `unsubscribe_events`: the id of the subscribe command. Works for every subscription type. */
export function unsubscribePayload(subscriptionId: number): Readonly<Record<string, unknown>> {
  return { subscription: subscriptionId };
}
