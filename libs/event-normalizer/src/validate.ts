/**
 * Shape checks for HA's wire objects (docs/ha-websocket-protocol.md#state_changed). Each returns a reason/detail
 * pair through a small mutable slot instead of throwing, so a malformed event costs no exception and no stack trace.
 */
import { parseIsoTime, TIME_OUT_OF_RANGE, type TimeSlot } from './iso-time.js';
import type { EventContext, RejectReason } from './types.js';

/** HA core's `MAX_LENGTH_STATE_STATE`: longer states are refused by HA itself, so they are not from HA. */
export const MAX_STATE_LENGTH = 255;

/** A plain JSON object (not null, not an array). */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where a failed check leaves its reason. */
export interface Problem {
  reason: RejectReason;
  detail: string;
}

/** A validated HA State object, with its times parsed; a reused scratch slot, filled by {@link checkState}. */
export interface StateSlot {
  state: string;
  attributes: JsonObject;
  lastChanged: string;
  lastChangedUs: number;
  lastUpdated: string;
  /** NaN when `last_updated` was only type-checked. */
  lastUpdatedUs: number;
}

export function createStateSlot(): StateSlot {
  return {
    state: '',
    attributes: {},
    lastChanged: '',
    lastChangedUs: 0,
    lastUpdated: '',
    lastUpdatedUs: 0,
  };
}

/**
 * Checks `new_state`/`old_state` (`which` names it in the detail) into `out`. `last_updated` is parsed only
 * when `parseUpdated` (the old state's is unused, so it is only type-checked).
 */
export function checkState(
  value: unknown,
  which: string,
  entityId: string,
  parseUpdated: boolean,
  time: TimeSlot,
  problem: Problem,
  out: StateSlot,
): boolean {
  if (!isObject(value)) {
    fail(problem, 'invalid_state', `${which} is not an object`);
    return false;
  }
  const state = value['state'];
  if (typeof state !== 'string') {
    fail(problem, 'invalid_state', `${which}.state is not a string`);
    return false;
  }
  if (state.length > MAX_STATE_LENGTH) {
    fail(problem, 'invalid_state', `${which}.state is longer than ${MAX_STATE_LENGTH}`);
    return false;
  }
  const attributes = value['attributes'];
  if (!isObject(attributes)) {
    fail(problem, 'invalid_state', `${which}.attributes is not an object`);
    return false;
  }
  const stateEntityId = value['entity_id'];
  if (stateEntityId !== undefined && stateEntityId !== entityId) {
    fail(problem, 'invalid_state', `${which}.entity_id differs from data.entity_id`);
    return false;
  }
  const lastChanged = value['last_changed'];
  if (!checkTime(lastChanged, `${which}.last_changed`, time, problem)) return false;
  out.lastChangedUs = time.us;
  const lastUpdated = value['last_updated'];
  if (parseUpdated) {
    if (!checkTime(lastUpdated, `${which}.last_updated`, time, problem)) return false;
    out.lastUpdatedUs = time.us;
  } else if (typeof lastUpdated !== 'string') {
    fail(problem, 'invalid_timestamp', `${which}.last_updated is missing or not a string`);
    return false;
  } else {
    out.lastUpdatedUs = Number.NaN;
  }
  out.state = state;
  out.attributes = attributes;
  out.lastChanged = lastChanged;
  out.lastUpdated = lastUpdated;
  return true;
}

/** Parses a required ISO time into `time.us`; false (with the problem set) when it is not one. */
export function checkTime(value: unknown, what: string, time: TimeSlot, problem: Problem): value is string {
  if (typeof value !== 'string') {
    fail(problem, 'invalid_timestamp', `${what} is missing or not a string`);
    return false;
  }
  // HA repeats one instant up to three times per event (time_fired, last_updated, last_changed).
  if (value === time.memoText) {
    time.us = time.memoUs;
    return true;
  }
  parseIsoTime(value, time);
  if (time.status === 0) {
    time.memoText = value;
    time.memoUs = time.us;
    return true;
  }
  const outOfRange = time.status === TIME_OUT_OF_RANGE;
  fail(
    problem,
    outOfRange ? 'timestamp_out_of_range' : 'invalid_timestamp',
    `${what} ${outOfRange ? 'is out of range' : 'is not an ISO-8601 time with an offset'}: ${JSON.stringify(value.slice(0, 40))}`,
  );
  return false;
}

/**
 * The guard on the envelope's context: an object whose three ids are each a string or null. It arrives
 * camelCased and checked (by `@homeiq/ha-client`), so it is kept as it is, not copied; this only stops a
 * JavaScript caller's garbage from reaching the line.
 */
export function isEventContext(value: unknown): value is EventContext {
  if (!isObject(value)) return false;
  const { id, parentId, userId } = value;
  return (
    (id === null || typeof id === 'string') &&
    (parentId === null || typeof parentId === 'string') &&
    (userId === null || typeof userId === 'string')
  );
}

/** A string attribute, or `null` when absent or of another type. */
export function stringAttribute(attributes: JsonObject, key: string): string | null {
  const value = attributes[key];
  return typeof value === 'string' ? value : null;
}

export function fail(problem: Problem, reason: RejectReason, detail: string): void {
  problem.reason = reason;
  problem.detail = detail;
}
