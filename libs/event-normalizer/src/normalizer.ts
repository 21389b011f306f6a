/**
 * The factory that ties validation, filtering, enrichment and encoding together and counts every rejection
 * and omission. No I/O and no clock: the event's own `timeFired` is the point's time.
 */
import { createEntityFilter, type EntityFilter } from './entity-filter.js';
import { createHaEncoder } from './ha-schema.js';
import { createHomeiqEncoder } from './homeiq-schema.js';
import { createNormalize } from './normalize.js';
import { EventNormalizerOptionsError, resolveOptions, type EventNormalizerOptions } from './options.js';
import type {
  EncodeResult,
  HaEventEnvelope,
  NormalizedEvent,
  NormalizeResult,
  OmitReason,
  ProcessOptions,
  ProcessResult,
  Rejection,
  RejectReason,
} from './types.js';

/**
 * Counters since construction. With `process` alone, `received === written + sum(rejected)`; every event is
 * either written or rejected under exactly one reason.
 */
export interface NormalizerStats {
  /** Events handed to `normalize` or `process`. */
  readonly received: number;
  /** Events that passed validation and filtering. */
  readonly normalized: number;
  /** Lines produced by `encode` or `process`. */
  readonly written: number;
  /** Rejected events by reason; every reason is present, most are 0. */
  readonly rejected: Readonly<Record<RejectReason, number>>;
  /** Fields or tags left out of written lines, by reason. */
  readonly omitted: Readonly<Record<OmitReason, number>>;
}

/** Normalizes HA `state_changed` events and encodes them as InfluxDB lines. */
export interface EventNormalizer {
  /**
   * Validates, filters and enriches one HA event, as `@homeiq/ha-client` delivers it (its `HaEvent`, or any
   * {@link HaEventEnvelope}); `data` is HA's own and is validated here. HA's raw snake_case envelope is not
   * accepted: convert it once at the edge.
   */
  normalize(event: HaEventEnvelope, options?: ProcessOptions): NormalizeResult;
  /** Encodes a normalized event as one line in the configured schema (no trailing newline). */
  encode(event: NormalizedEvent): EncodeResult;
  /** `normalize` then `encode`: the hot path. */
  process(event: HaEventEnvelope, options?: ProcessOptions): ProcessResult;
  /** A snapshot of the counters. */
  stats(): NormalizerStats;
}

const REJECT_REASONS: readonly RejectReason[] = [
  'invalid_event',
  'unsupported_event_type',
  'invalid_entity_id',
  'invalid_state',
  'invalid_timestamp',
  'timestamp_out_of_range',
  'invalid_context',
  'excluded',
  'skipped_unavailable',
  'skipped_unknown',
  'skipped_attribute_only',
  'ha_state_not_written',
  'attributes_unserializable',
  'string_field_too_large',
  'no_fields',
  'series_key_too_long',
];
const OMIT_REASONS: readonly OmitReason[] = [
  'non_finite_number',
  'string_field_too_large',
  'invalid_key',
  'duplicate_key',
];

/** Normalized events have no `ok`; rejections have `ok: false`. */
function isRejection(value: NormalizedEvent | Rejection): value is Rejection {
  return (value as Partial<Rejection>).ok === false;
}

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

/** Creates a normalizer; throws {@link EventNormalizerOptionsError} for invalid options. */
export function createEventNormalizer(options: EventNormalizerOptions = {}): EventNormalizer {
  const resolved = resolveOptions(options);
  let filter: EntityFilter;
  try {
    filter = createEntityFilter({ include: resolved.include, exclude: resolved.exclude });
  } catch (error) {
    throw new EventNormalizerOptionsError(`Expected valid \`entityGlobs\`: ${String(error)}`, {
      cause: error,
    });
  }
  const rejected = zeroCounts(REJECT_REASONS);
  const omitted = zeroCounts(OMIT_REASONS);
  let received = 0;
  let normalized = 0;
  let written = 0;

  const onOmit = (reason: OmitReason, key: string): void => {
    omitted[reason]++;
    resolved.onOmit?.(reason, key);
  };
  const counted = (rejection: Rejection): Rejection => {
    rejected[rejection.reason]++;
    resolved.onReject?.(rejection.reason, rejection.detail);
    return rejection;
  };

  const normalizeEvent = createNormalize({
    filter,
    registry: resolved.registry,
    skipUnavailable: resolved.skipUnavailable,
    skipUnknown: resolved.skipUnknown,
    skipAttributeOnly: resolved.skipAttributeOnly,
  });
  const format = {
    precision: resolved.precision,
    maxStringFieldBytes: resolved.maxStringFieldBytes,
    oversizeStringField: resolved.oversizeStringField,
    onOmit,
  };
  const encodeEvent =
    resolved.schema === 'ha'
      ? createHaEncoder(resolved.ha, format)
      : createHomeiqEncoder({
          ...format,
          measurement: resolved.measurement,
          includeAttributes: resolved.includeAttributes,
          removedState: resolved.removedStateValue,
        });

  return {
    normalize(envelope, options) {
      received++;
      const event = normalizeEvent(envelope, options?.source ?? 'live');
      if (isRejection(event)) return counted(event);
      normalized++;
      return { ok: true, event };
    },
    encode(event) {
      const line = encodeEvent(event);
      if (typeof line !== 'string') return counted(line);
      written++;
      return { ok: true, line };
    },
    process(envelope, options) {
      received++;
      const event = normalizeEvent(envelope, options?.source ?? 'live');
      if (isRejection(event)) return counted(event);
      normalized++;
      const line = encodeEvent(event);
      if (typeof line !== 'string') return counted(line);
      written++;
      return { ok: true, event, line };
    },
    stats() {
      return { received, normalized, written, rejected: { ...rejected }, omitted: { ...omitted } };
    },
  };
}
