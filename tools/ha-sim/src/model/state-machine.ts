import type { RandomFn } from '../util/random.js';
import { wireJson } from '../util/wire-text.js';
import type { EventClock } from './clock.js';
import { addedEvent, changedEvent, removedEvent, snapshot } from './compressed.js';
import { eventPrefix, makeContext, stateChangedEvent, type BusEvent, type ContextMix } from './events.js';
import type { Reading } from './kind.js';
import { StateRecord, type Availability, type EntityDefinition } from './state-record.js';
import { WeightedPick } from './weighted-pick.js';

/** How often the random stream makes an entity unavailable or unknown, or removes and re-adds one. */
export interface ChangeMix extends ContextMix {
  readonly unavailableRatio: number;
  readonly unknownRatio: number;
  readonly churnRatio: number;
}

/** Context fields to use instead of random ones (a service call's context, say). */
export interface ContextOverride {
  readonly id?: string;
  readonly userId?: string | null;
  readonly parentId?: string | null;
}

/** One write to the state machine that fired `state_changed`, as the recorder and `history/stream` see it. */
export interface StateWrite {
  readonly entityId: string;
  /** The new state; null when the entity was removed. */
  readonly record: StateRecord | null;
  /** The state string before, or null when the entity was added. */
  readonly oldState: string | null;
  /** The event's time (= the new state's `last_updated`), epoch µs. */
  readonly timeMicros: number;
}

/**
 * HA's state machine for the simulated home: current states in insertion order (the order of
 * get_states), HA's set semantics (core `async_set_internal`), and the random walk that drives streams.
 */
export class StateMachine {
  readonly records = new Map<string, StateRecord>();
  /** Entities the random stream removed, waiting to be re-added (an integration reload). */
  readonly #parked: StateRecord[] = [];
  readonly #picks = new WeightedPick<StateRecord>(
    () => this.records.values(),
    (record) => record.def.kind.weight,
  );
  /** Set while subscribe_entities subscriptions exist: state_changed events then carry compressed diffs. */
  compressed = false;
  /** Observers of every write that fires `state_changed` (the recorder, history streams). */
  readonly writes = new Set<(write: StateWrite) => void>();

  constructor(
    readonly random: RandomFn,
    readonly clock: EventClock,
    readonly mix: ChangeMix,
    readonly emit: (event: BusEvent) => void,
  ) {}

  /** Adds an entity's first state with the given times and no event (the home as it was at start). */
  seed(
    definition: EntityDefinition,
    reading: Reading,
    changed: number,
    updated: number,
    reported: number,
  ): void {
    const record = new StateRecord(definition, reading);
    const context = makeContext(this.random, updated, this.mix);
    record.commit(
      reading.state,
      reading,
      'ok',
      record.candidateAttributesJson(reading, 'ok', null),
      null,
      { changed, updated, reported },
      context.context,
      context.json,
    );
    this.records.set(definition.entityId, record);
    this.#picks.invalidate();
  }

  /** Adds an entity now: state_changed with `old_state: null`. */
  add(
    definition: EntityDefinition,
    reading: Reading,
    override: Readonly<Record<string, unknown>> | null = null,
  ): void {
    const record = new StateRecord(definition, reading);
    this.#commitAndEmit(record, null, reading.state, reading, 'ok', override, {});
    this.records.set(definition.entityId, record);
    this.#picks.invalidate();
  }

  /** Removes an entity now: state_changed with `new_state: null`. Returns false when it had no state. */
  remove(entityId: string): boolean {
    const record = this.records.get(entityId);
    if (record === undefined) return false;
    this.records.delete(entityId);
    this.#picks.invalidate();
    const now = this.clock.nextMicros();
    const context = makeContext(this.random, now, this.mix);
    const event = stateChangedEvent(entityId, record.idJson, record.json, null, now, context.json);
    if (this.compressed) event.compressedPrefix = eventPrefix(removedEvent(record.idJson));
    for (const observe of this.writes)
      observe({ entityId, record: null, oldState: record.state, timeMicros: now });
    this.emit(event);
    return true;
  }

  /**
   * Sets a state the way `hass.states.async_set` does. Returns false when state and attributes are
   * unchanged: then only `last_reported` moves and no state_changed is fired.
   */
  set(
    entityId: string,
    state: string,
    attributes: Readonly<Record<string, unknown>> | null,
    context: ContextOverride = {},
  ): boolean {
    const record = this.records.get(entityId);
    if (record === undefined) throw new RangeError(`Unknown entity \`${entityId}\``);
    const reading: Reading = { state, attributes: record.reading.attributes };
    const availability: Availability =
      state === 'unavailable' ? 'unavailable' : state === 'unknown' ? 'unknown' : 'ok';
    const override =
      attributes ?? record.overrideAttributes ?? record.attributesFor(record.reading, availability);
    return this.#change(record, state, reading, availability, override, context);
  }

  /** Moves an entity to a reading its kind would produce (service calls), attributes computed by the kind. */
  applyReading(entityId: string, reading: Reading, context: ContextOverride): boolean {
    const record = this.records.get(entityId);
    if (record === undefined) throw new RangeError(`Unknown entity \`${entityId}\``);
    return this.#change(record, reading.state, reading, 'ok', null, context);
  }

  /** Re-renders an entity's attributes after a registry change (a new friendly name): attribute-only change. */
  refresh(entityId: string): boolean {
    const record = this.records.get(entityId);
    if (record === undefined) return false;
    return this.#change(
      record,
      record.state,
      record.reading,
      record.availability,
      record.overrideAttributes,
      {},
    );
  }

  /** One step of the random walk. Returns false if the picked entity produced no visible change. */
  randomStep(): boolean {
    const random = this.random;
    const roll = random();
    const mix = this.mix;
    if (roll < mix.churnRatio) return this.#churn();
    const record = this.#picks.pick(this.random);
    if (record === undefined) return false;
    if (record.availability !== 'ok') {
      const reading = record.def.kind.next(random, record.reading, this.clock.lastMicros);
      return this.#change(record, reading.state, reading, 'ok', null, {});
    }
    if (roll < mix.churnRatio + mix.unavailableRatio)
      return this.#change(record, 'unavailable', record.reading, 'unavailable', null, {});
    if (
      roll < mix.churnRatio + mix.unavailableRatio + mix.unknownRatio &&
      record.def.kind.domain === 'sensor'
    ) {
      return this.#change(record, 'unknown', record.reading, 'unknown', null, {});
    }
    const reading = record.def.kind.next(random, record.reading, this.clock.lastMicros);
    return this.#change(record, reading.state, reading, 'ok', null, {});
  }

  #churn(): boolean {
    const parked = this.#parked.pop();
    if (parked !== undefined && this.random() < 0.9) {
      this.add(parked.def, parked.def.kind.initial(this.random, this.clock.lastMicros));
      return true;
    }
    if (parked !== undefined) this.#parked.push(parked);
    const record = this.#picks.pick(this.random);
    if (record === undefined || record.def.kind.domain === 'sun' || record.def.kind.domain === 'person')
      return false;
    this.#parked.push(record);
    return this.remove(record.def.entityId);
  }

  #change(
    record: StateRecord,
    state: string,
    reading: Reading,
    availability: Availability,
    override: Readonly<Record<string, unknown>> | null,
    context: ContextOverride,
  ): boolean {
    const attributesJson = record.candidateAttributesJson(reading, availability, override);
    if (state === record.state && attributesJson === record.attributesJson) {
      record.report(this.clock.nextMicros());
      return false;
    }
    this.#commitAndEmit(record, record.json, state, reading, availability, override, context, attributesJson);
    return true;
  }

  #commitAndEmit(
    record: StateRecord,
    oldJson: string | null,
    state: string,
    reading: Reading,
    availability: Availability,
    override: Readonly<Record<string, unknown>> | null,
    contextOverride: ContextOverride,
    attributesJson = record.candidateAttributesJson(reading, availability, override),
  ): void {
    const now = this.clock.nextMicros();
    let context = makeContext(this.random, now, this.mix, contextOverride.userId);
    if (contextOverride.parentId !== undefined || contextOverride.id !== undefined) {
      const ctx = {
        id: contextOverride.id ?? context.context.id,
        parent_id: contextOverride.parentId ?? context.context.parent_id,
        user_id: context.context.user_id,
      };
      context = { context: ctx, json: wireJson(ctx) };
    }
    const before = this.compressed && oldJson !== null ? snapshot(record) : null;
    const oldState = oldJson === null ? null : record.state;
    // State changed: all three times move. Attributes only: last_changed stays (core async_set_internal).
    const changed = oldJson === null || state !== record.state ? now : record.lastChanged;
    record.commit(
      state,
      reading,
      availability,
      attributesJson,
      override,
      { changed, updated: now, reported: now },
      context.context,
      context.json,
    );
    const event = stateChangedEvent(
      record.def.entityId,
      record.idJson,
      oldJson,
      record.json,
      now,
      context.json,
    );
    if (this.compressed)
      event.compressedPrefix = eventPrefix(
        before === null ? addedEvent(record) : changedEvent(before, record),
      );
    for (const observe of this.writes)
      observe({ entityId: record.def.entityId, record, oldState, timeMicros: now });
    this.emit(event);
  }
}
