/**
 * Parses inbound frames. With coalescing on, HA sends a JSON array when several messages were queued and a bare
 * object otherwise, so every frame may be either. Messages are validated just enough to route them safely;
 * payloads (`result`, `event`) stay untouched for the consumer.
 */

/** HA's `error` object of a failed result, with its translation details when HA sent them. */
export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly translationKey: string | undefined;
  readonly translationPlaceholders: Readonly<Record<string, string>> | undefined;
  readonly translationDomain: string | undefined;
}

/** One inbound message, validated for routing. */
export type InboundMessage =
  | { readonly type: 'auth_required'; readonly haVersion: string | undefined }
  | { readonly type: 'auth_ok'; readonly haVersion: string | undefined }
  | { readonly type: 'auth_invalid'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly success: true; readonly result: unknown }
  | { readonly type: 'result'; readonly id: number; readonly success: false; readonly error: WireError }
  | { readonly type: 'event'; readonly id: number; readonly event: unknown }
  | { readonly type: 'pong'; readonly id: number };

/** Why a frame or a message in it could not be used. */
export type InvalidReason = 'invalid_json' | 'not_an_object' | 'unknown_type' | 'missing_id';

/** Receives the parsed messages of a frame in order, and each part that could not be parsed. */
export interface FrameVisitor {
  message(message: InboundMessage): void;
  invalid(reason: InvalidReason, detail: string): void;
}

/** Parses one TEXT frame (an object or an array of objects) and visits each message in order. */
export function parseFrame(text: string, visitor: FrameVisitor): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    visitor.invalid(
      'invalid_json',
      `${error instanceof Error ? error.message : 'parse error'} (${text.length} chars)`,
    );
    return;
  }
  if (Array.isArray(parsed)) {
    for (const item of parsed as unknown[]) visitOne(item, visitor);
  } else {
    visitOne(parsed, visitor);
  }
}

function visitOne(raw: unknown, visitor: FrameVisitor): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    visitor.invalid('not_an_object', typeof raw);
    return;
  }
  const message = raw as Record<string, unknown>;
  const type = message['type'];
  switch (type) {
    case 'auth_required':
    case 'auth_ok':
      visitor.message({ type, haVersion: optionalString(message['ha_version']) });
      return;
    case 'auth_invalid':
      visitor.message({ type, message: optionalString(message['message']) ?? 'no message' });
      return;
    case 'result':
    case 'event':
    case 'pong':
      visitIdentified(type, message, visitor);
      return;
    default:
      visitor.invalid('unknown_type', typeof type === 'string' ? type : typeof type);
  }
}

function visitIdentified(
  type: 'result' | 'event' | 'pong',
  message: Record<string, unknown>,
  visitor: FrameVisitor,
): void {
  const id = message['id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    visitor.invalid('missing_id', type);
    return;
  }
  if (type === 'pong') visitor.message({ type, id });
  else if (type === 'event') visitor.message({ type, id, event: message['event'] });
  else if (message['success'] === true)
    visitor.message({ type, id, success: true, result: message['result'] });
  else visitor.message({ type, id, success: false, error: readError(message['error']) });
}

function readError(raw: unknown): WireError {
  if (typeof raw !== 'object' || raw === null) {
    return {
      code: 'unknown_error',
      message: 'no error object',
      translationKey: undefined,
      translationPlaceholders: undefined,
      translationDomain: undefined,
    };
  }
  const error = raw as Record<string, unknown>;
  return {
    code: optionalString(error['code']) ?? 'unknown_error',
    message: optionalString(error['message']) ?? 'no message',
    translationKey: optionalString(error['translation_key']),
    translationPlaceholders: stringRecord(error['translation_placeholders']),
    translationDomain: optionalString(error['translation_domain']),
  };
}

/** HA's placeholders are `dict[str, str]`; anything else (a malformed frame) is left out rather than trusted. */
function stringRecord(value: unknown): Readonly<Record<string, string>> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') return undefined;
    out[key] = item;
  }
  return out;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
