/**
 * @homeiq/event-normalizer: Home Assistant `state_changed` events (as `@homeiq/ha-client` delivers them) → typed
 * normalized events → InfluxDB line protocol, as pure functions (no I/O, no clock) built for the hot path.
 */
export { createEventNormalizer } from './normalizer.js';
export type { EventNormalizer, NormalizerStats } from './normalizer.js';
export { EventNormalizerOptionsError } from './options.js';
export type { EventNormalizerOptions, PointSchema } from './options.js';
export type { HaEntityConfig, HaSchemaOptions } from './ha-config.js';
export { createEntityFilter } from './entity-filter.js';
export type { EntityFilter, EntityFilterOptions, EntityFilterSpec } from './entity-filter.js';
export { compileGlobs } from './glob.js';
export type { GlobMatcher } from './glob.js';
export type { EntityEnrichment, RegistryLookup } from './registry-lookup.js';
export { formatLine } from './line-format.js';
export type { FormatLineOptions, LinePoint } from './line-format.js';
export { isValidEntityId } from './entity-id.js';
export { pythonFloat } from './python-float.js';
export { pythonStr } from './python-str.js';
export type {
  ChangeKind,
  EncodeResult,
  EventContext,
  EventSource,
  HaEventEnvelope,
  NormalizedEvent,
  NormalizeResult,
  OmitReason,
  Precision,
  ProcessOptions,
  ProcessResult,
  Rejection,
  RejectReason,
} from './types.js';
