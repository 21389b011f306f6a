/**
 * HA `state_changed` event (ha-client's camelCase {@link HaEventEnvelope}) → {@link NormalizedEvent}, with the
 * filter applied as early as possible so excluded entities cost almost nothing. Allocates only the event (the
 * envelope's context is kept as it is): validated states go to scratch slots, and per-entity facts (id checks,
 * domain/object id, filter verdict) are cached, since a home has a few thousand entities and millions of events.
 */
import type { EntityFilter } from './entity-filter.js';
import { entityIdDot } from './entity-id.js';
import { createTimeSlot } from './iso-time.js';
import type { EntityEnrichment, RegistryLookup } from './registry-lookup.js';
import { STATE_UNAVAILABLE, STATE_UNKNOWN, stateValue } from './state-value.js';
import type { ChangeKind, EventSource, HaEventEnvelope, NormalizedEvent, Rejection } from './types.js';
import { reject } from './types.js';
import {
  checkState,
  checkTime,
  createStateSlot,
  isEventContext,
  isObject,
  stringAttribute,
  type Problem,
} from './validate.js';

/** What {@link createNormalize} needs, already resolved from the options. */
export interface NormalizeSettings {
  readonly filter: EntityFilter;
  readonly registry: RegistryLookup | undefined;
  readonly skipUnavailable: boolean;
  readonly skipUnknown: boolean;
  readonly skipAttributeOnly: boolean;
}

/** What never changes for an entity id. */
interface EntityFacts {
  readonly domain: string;
  readonly objectId: string;
  readonly included: boolean;
}

const ENTITY_CACHE_LIMIT = 16_384;
const EMPTY_ATTRIBUTES: Readonly<Record<string, unknown>> = Object.freeze({});
/** An entity the registry does not list (or no registry): nothing known. */
const NO_ENRICHMENT: EntityEnrichment = Object.freeze({
  deviceId: null,
  deviceName: null,
  manufacturer: null,
  model: null,
  areaId: null,
  areaName: null,
  floorId: null,
  floorName: null,
  platform: null,
  entityCategory: null,
  labels: Object.freeze([]),
});

/** Returns the normalize function. */
export function createNormalize(
  settings: NormalizeSettings,
): (event: HaEventEnvelope, source: EventSource) => NormalizedEvent | Rejection {
  const { filter, registry } = settings;
  const time = createTimeSlot();
  const problem: Problem = { reason: 'invalid_event', detail: '' };
  const next = createStateSlot();
  const previous = createStateSlot();
  const facts = new Map<string, EntityFacts>();
  const rejected = (): Rejection => reject(problem.reason, problem.detail);

  function entityFacts(entityId: string): EntityFacts | undefined {
    const known = facts.get(entityId);
    if (known !== undefined) return known;
    const dot = entityIdDot(entityId);
    if (dot === -1) return undefined; // not cached: invalid ids are unbounded garbage
    const fresh = {
      domain: entityId.slice(0, dot),
      objectId: entityId.slice(dot + 1),
      included: filter(entityId),
    };
    if (facts.size >= ENTITY_CACHE_LIMIT) facts.clear();
    facts.set(entityId, fresh);
    return fresh;
  }

  return function normalize(event: HaEventEnvelope, source: EventSource): NormalizedEvent | Rejection {
    try {
      return normalizeInSlots(event, source);
    } finally {
      // The slots are scratch space: left filled, they would keep the last event's attributes alive until the
      // next event, however large (a 10 MB attribute payload stayed in the heap of an idle service).
      next.attributes = previous.attributes = EMPTY_ATTRIBUTES;
    }
  };

  // Typed callers pass a HaEventEnvelope; a JavaScript caller may pass anything, so the fields are read as
  // unknown, each behind the one guard that keeps garbage out of the line (a counted rejection, never a throw).
  function normalizeInSlots(raw: unknown, source: EventSource): NormalizedEvent | Rejection {
    if (!isObject(raw)) return reject('invalid_event', 'event is not an object');
    const eventType = raw['eventType'];
    if (eventType !== 'state_changed') {
      return typeof eventType === 'string'
        ? reject('unsupported_event_type', `eventType ${JSON.stringify(eventType)}`)
        : reject('invalid_event', 'eventType is missing or not a string');
    }
    const data = raw['data'];
    if (!isObject(data)) return reject('invalid_event', 'data is not an object');
    const entityId = data['entity_id'];
    if (typeof entityId !== 'string') return reject('invalid_entity_id', 'entity_id is not a string');
    const entity = entityFacts(entityId);
    if (entity === undefined) {
      return reject('invalid_entity_id', `not a valid entity id: ${JSON.stringify(entityId.slice(0, 300))}`);
    }
    if (!entity.included) return reject('excluded', entityId);

    // timeFired first: new_state's times usually repeat it, and the parser memoizes the last instant.
    const timeFired = raw['timeFired'];
    if (!checkTime(timeFired, 'timeFired', time, problem)) return rejected();
    const timeFiredUs = time.us;
    const rawNew = data['new_state'];
    const rawOld = data['old_state'];
    if (rawNew === undefined || rawOld === undefined) {
      return reject('invalid_event', 'data.new_state and data.old_state must both be present');
    }
    const hasNew = rawNew !== null;
    const hasOld = rawOld !== null;
    if (!hasNew && !hasOld) return reject('invalid_state', 'both states are null');
    if (hasNew && !checkState(rawNew, 'new_state', entityId, true, time, problem, next)) return rejected();
    if (hasOld && !checkState(rawOld, 'old_state', entityId, false, time, problem, previous))
      return rejected();

    const changeKind: ChangeKind = !hasNew
      ? 'removed'
      : !hasOld
        ? 'added'
        : next.state === previous.state
          ? 'attributes'
          : 'state';
    if (hasNew) {
      if (settings.skipUnavailable && next.state === STATE_UNAVAILABLE) {
        return reject('skipped_unavailable', entityId);
      }
      if (settings.skipUnknown && next.state === STATE_UNKNOWN) return reject('skipped_unknown', entityId);
    }
    if (settings.skipAttributeOnly && changeKind === 'attributes') {
      return reject('skipped_attribute_only', entityId);
    }

    const context = raw['context'] ?? null;
    if (context !== null && !isEventContext(context)) {
      return reject('invalid_context', 'context is not {id, parentId, userId} of strings or null');
    }
    const origin = raw['origin'];
    if (origin !== undefined && origin !== null && typeof origin !== 'string') {
      return reject('invalid_event', 'origin is not a string');
    }

    const attributes = hasNew ? next.attributes : previous.attributes;
    let duration: number | null = null;
    if (hasOld) {
      // For a removal, timeFired is when the last state ended.
      const endUs = hasNew ? next.lastChangedUs : timeFiredUs;
      duration = Math.max(0, endUs - previous.lastChangedUs) / 1_000_000;
    }
    // Read on every event, never cached here: a registry change shows in the next event. The lookup joins.
    const registered = registry?.lookup(entityId) ?? NO_ENRICHMENT;

    return {
      entityId,
      domain: entity.domain,
      objectId: entity.objectId,
      changeKind,
      state: hasNew ? next.state : null,
      previousState: hasOld ? previous.state : null,
      value: hasNew ? stateValue(next.state) : null,
      unitOfMeasurement: stringAttribute(attributes, 'unit_of_measurement'),
      deviceClass: stringAttribute(attributes, 'device_class'),
      stateClass: stringAttribute(attributes, 'state_class'),
      friendlyName: stringAttribute(attributes, 'friendly_name'),
      attributes,
      timeFired,
      timeFiredUs,
      lastChanged: hasNew ? next.lastChanged : null,
      lastChangedUs: hasNew ? next.lastChangedUs : null,
      lastUpdated: hasNew ? next.lastUpdated : null,
      lastUpdatedUs: hasNew ? next.lastUpdatedUs : null,
      origin: origin ?? null,
      context,
      durationInPreviousStateSeconds: duration,
      deviceId: registered.deviceId,
      deviceName: registered.deviceName,
      manufacturer: registered.manufacturer,
      model: registered.model,
      areaId: registered.areaId,
      areaName: registered.areaName,
      floorId: registered.floorId,
      floorName: registered.floorName,
      platform: registered.platform,
      entityCategory: registered.entityCategory,
      labels: registered.labels,
      source,
    };
  }
}
