import { isoFromMicros } from '../util/iso-time.js';
import { wireJson, wireString } from '../util/wire-text.js';
import type { EntityKind, Reading } from './kind.js';
import type { HaContext } from './wire-types.js';

/** What the home knows about one entity with a state: its kind, names, and current state, pre-serialized. */
export interface EntityDefinition {
  readonly entityId: string;
  readonly kind: EntityKind;
  friendlyName: string;
  /** Attributes the layout fixes for this entity (a person's `id`, `user_id`, `device_trackers`). */
  readonly fixedAttributes: Readonly<Record<string, unknown>>;
}

export type Availability = 'ok' | 'unavailable' | 'unknown';

/**
 * One entity's current state. The state JSON is built once per change and reused: as `old_state` of the
 * next event, in `get_states`, and by every subscriber — the same caching HA does with `as_dict_json`.
 */
export class StateRecord {
  readonly def: EntityDefinition;
  readonly idJson: string;
  reading: Reading;
  /** Complete attributes set through the control API; cleared by the next simulated change. */
  overrideAttributes: Readonly<Record<string, unknown>> | null = null;
  availability: Availability = 'ok';
  state = '';
  attributesJson = '{}';
  #attributesSource: object | null = null;
  #attributesAvailability: Availability | null = null;
  lastChanged = 0;
  lastUpdated = 0;
  lastReported = 0;
  context: HaContext = { id: '', parent_id: null, user_id: null };
  contextJson = '';
  json = '';

  constructor(def: EntityDefinition, reading: Reading) {
    this.def = def;
    this.idJson = wireJson(def.entityId);
    this.reading = reading;
  }

  /** The attributes HA would compute for `reading` at `availability`, in HA's key order. */
  attributesFor(reading: Reading, availability: Availability): Record<string, unknown> {
    const kind = this.def.kind;
    const attributes: Record<string, unknown> = { ...kind.capabilities, ...this.def.fixedAttributes };
    // Unavailable entities keep capability attributes but lose their state attributes (HA core entity.py).
    if (availability === 'ok') Object.assign(attributes, reading.attributes);
    if (kind.unit !== null) attributes['unit_of_measurement'] = kind.unit;
    if (kind.deviceClass !== null) attributes['device_class'] = kind.deviceClass;
    if (kind.icon !== null) attributes['icon'] = kind.icon;
    attributes['friendly_name'] = this.def.friendlyName;
    if (kind.supportedFeatures !== null) attributes['supported_features'] = kind.supportedFeatures;
    return attributes;
  }

  /** The definition changed (a new friendly name): the cached attribute JSON no longer holds. */
  invalidateAttributes(): void {
    this.#attributesSource = null;
  }

  /** The attributes of the current state, as an object. */
  currentAttributes(): Record<string, unknown> {
    return this.overrideAttributes === null
      ? this.attributesFor(this.reading, this.availability)
      : { ...this.overrideAttributes };
  }

  /** Attribute JSON for a candidate change, reusing the last serialization when its inputs are unchanged. */
  candidateAttributesJson(
    reading: Reading,
    availability: Availability,
    override: Readonly<Record<string, unknown>> | null,
  ): string {
    if (override !== null) return wireJson(override);
    if (
      this.overrideAttributes === null &&
      reading.attributes === this.#attributesSource &&
      availability === this.#attributesAvailability
    ) {
      return this.attributesJson;
    }
    return wireJson(this.attributesFor(reading, availability));
  }

  /** Commits a change (state string, attributes, times, context) and re-serializes the state. */
  commit(
    state: string,
    reading: Reading,
    availability: Availability,
    attributesJson: string,
    override: Readonly<Record<string, unknown>> | null,
    times: { changed: number; updated: number; reported: number },
    context: HaContext,
    contextJson: string,
  ): void {
    this.state = state;
    this.reading = reading;
    this.availability = availability;
    this.overrideAttributes = override;
    this.attributesJson = attributesJson;
    this.#attributesSource = override === null ? reading.attributes : null;
    this.#attributesAvailability = override === null ? availability : null;
    this.lastChanged = times.changed;
    this.lastUpdated = times.updated;
    this.lastReported = times.reported;
    this.context = context;
    this.contextJson = contextJson;
    this.serialize();
  }

  /** Same state and attributes again: HA only bumps `last_reported` (and fires the invisible state_reported). */
  report(nowMicros: number): void {
    this.lastReported = nowMicros;
    this.serialize();
  }

  serialize(): void {
    const changed = isoFromMicros(this.lastChanged);
    const updated = this.lastUpdated === this.lastChanged ? changed : isoFromMicros(this.lastUpdated);
    const reported = this.lastReported === this.lastUpdated ? updated : isoFromMicros(this.lastReported);
    // Built flat (join, not `+`): this string is copied into two events and every get_states, and
    // copying a flat string is far cheaper than walking a rope each time.
    this.json = [
      '{"entity_id":',
      this.idJson,
      ',"state":',
      wireString(this.state),
      ',"attributes":',
      this.attributesJson,
      ',"last_changed":"',
      changed,
      '","last_reported":"',
      reported,
      '","last_updated":"',
      updated,
      '","context":',
      this.contextJson,
      '}',
    ].join('');
  }
}
