/**
 * The `homeiq` point: one point per event in one measurement, tagged only with low-cardinality keys, state as a
 * string field always and as a float `value` when numeric or binary. This is the hot path: the series key is
 * cached per entity, the attributes JSON is memoized per entity, numbers reuse existing text, and the line is
 * concatenated from constant prefixes and existing strings.
 */
import { createAttributesCache } from './attributes-cache.js';
import { escapeMeasurement, escapeStringBody, exceedsUtf8 } from './line-escape.js';
import { formatFloat } from './line-format.js';
import { createTimestampFormatter, isCanonicalDecimal, microsAsSecondsText } from './number-text.js';
import { createSeriesKeyCache } from './series-key.js';
import type { NormalizedEvent, OmitReason, Precision, Rejection } from './types.js';
import { reject } from './types.js';

/** What the encoder needs, already resolved from the options. */
export interface HomeiqSettings {
  readonly measurement: string;
  readonly includeAttributes: boolean;
  readonly removedState: string;
  readonly precision: Precision;
  readonly maxStringFieldBytes: number;
  readonly oversizeStringField: 'omit' | 'reject';
  readonly onOmit: (reason: OmitReason, key: string) => void;
}

/** Returns the encoder: a line, or a rejection. */
export function createHomeiqEncoder(
  settings: HomeiqSettings,
): (event: NormalizedEvent) => string | Rejection {
  const { includeAttributes, removedState, maxStringFieldBytes: maxBytes } = settings;
  const rejectOversize = settings.oversizeStringField === 'reject';
  const keys = createSeriesKeyCache(escapeMeasurement(settings.measurement));
  const timestamp = createTimestampFormatter(settings.precision);
  const attributesField = createAttributesCache((attributes) => {
    let json: string;
    try {
      json = JSON.stringify(attributes);
    } catch (error) {
      // A cycle or a BigInt (TypeError), or nesting deeper than the stack (RangeError).
      return error instanceof Error ? error : new Error(String(error));
    }
    // JSON text has no raw control characters or lone surrogates, so JSON's string escaping of it is
    // exactly line protocol's (`"` and `\`), done natively: the attributes are serialized only once.
    return exceedsUtf8(json, maxBytes) ? undefined : JSON.stringify(json);
  });

  /** Whether a string field fits; counts the omission when it does not. */
  function fits(name: string, value: string): boolean {
    if (!exceedsUtf8(value, maxBytes)) return true;
    settings.onOmit('string_field_too_large', name);
    return false;
  }

  /** With `oversizeStringField: 'reject'`: the first string field (other than attributes) that is too large. */
  function oversizeField(event: NormalizedEvent): string | undefined {
    const context = event.context;
    const candidates: [string, string | null][] = [
      ['context_id', context?.id ?? null],
      ['context_parent_id', context?.parentId ?? null],
      ['context_user_id', context?.userId ?? null],
      ['friendly_name', event.friendlyName],
      ['previous_state', event.previousState],
      ['state', event.state ?? removedState],
    ];
    return candidates.find(([, value]) => value !== null && exceedsUtf8(value, maxBytes))?.[0];
  }

  return function encode(event: NormalizedEvent): string | Rejection {
    if (rejectOversize) {
      const field = oversizeField(event);
      if (field !== undefined) return reject('string_field_too_large', `field "${field}"`);
    }
    const key = keys.get(event);
    if (key === undefined) return reject('series_key_too_long', event.entityId);
    // Fields in sorted key order, by plain concatenation (cheaper than joining a parts array per line).
    let line = key;
    let first = true;
    if (includeAttributes) {
      const quoted = attributesField(event.entityId, event.attributes);
      if (quoted instanceof Error) return reject('attributes_unserializable', quoted.message);
      if (quoted !== undefined) {
        line += ' attributes=' + quoted;
        first = false;
      } else if (rejectOversize) {
        return reject('string_field_too_large', 'field "attributes"');
      } else {
        settings.onOmit('string_field_too_large', 'attributes');
      }
    }
    if (event.source === 'recorder') {
      line += first ? ' backfill=true' : ',backfill=true';
      first = false;
    }
    const context = event.context;
    if (context !== null) {
      const { id, parentId, userId } = context;
      if (id !== null && fits('context_id', id)) {
        line += (first ? ' context_id="' : ',context_id="') + escapeStringBody(id) + '"';
        first = false;
      }
      if (parentId !== null && fits('context_parent_id', parentId)) {
        line += (first ? ' context_parent_id="' : ',context_parent_id="') + escapeStringBody(parentId) + '"';
        first = false;
      }
      if (userId !== null && fits('context_user_id', userId)) {
        line += (first ? ' context_user_id="' : ',context_user_id="') + escapeStringBody(userId) + '"';
        first = false;
      }
    }
    const seconds = event.durationInPreviousStateSeconds;
    if (seconds !== null) {
      const text = microsAsSecondsText(Math.round(seconds * 1_000_000));
      line += (first ? ' duration_in_state_seconds=' : ',duration_in_state_seconds=') + text;
      first = false;
    }
    const friendlyName = event.friendlyName;
    if (friendlyName !== null && fits('friendly_name', friendlyName)) {
      line += (first ? ' friendly_name="' : ',friendly_name="') + escapeStringBody(friendlyName) + '"';
      first = false;
    }
    const previousState = event.previousState;
    if (previousState !== null && fits('previous_state', previousState)) {
      line += (first ? ' previous_state="' : ',previous_state="') + escapeStringBody(previousState) + '"';
      first = false;
    }
    if (event.source === 'resync') {
      line += first ? ' resync=true' : ',resync=true';
      first = false;
    }
    const state = event.state;
    const stateText = state ?? removedState;
    if (fits('state', stateText)) {
      line += (first ? ' state="' : ',state="') + escapeStringBody(stateText) + '"';
      first = false;
    }
    const value = event.value;
    if (value !== null) {
      // A canonical numeric state is already String(value): skip the double-to-decimal conversion.
      const text = state !== null && isCanonicalDecimal(state) ? state : formatFloat(value);
      line += (first ? ' value=' : ',value=') + text;
      first = false;
    }
    if (first) return reject('no_fields', event.entityId);
    return flat(line + ' ' + timestamp(event.timeFiredUs));
  };
}

/**
 * The line as one sequential string. V8 keeps a concatenation as a rope, a tree of its pieces, until something
 * reads it by index; a line waits in the queue for its batch, and as a rope it holds about twice the heap (and
 * costs the scavenger twice the copying) of the flat text. `charCodeAt` makes V8 flatten it in place, once.
 */
function flat(line: string): string {
  line.charCodeAt(0);
  return line;
}
