import { isoFromMicros } from '../util/iso-time.js';
import { wireJson } from '../util/wire-text.js';
import { pick, type RandomFn } from '../util/random.js';
import { ulid } from '../util/ulid.js';
import type { HaContext } from './wire-types.js';

/**
 * An event as the bus carries it: its type and its message text, serialized once. Connections append
 * `,"id":N}` per subscription, as HA's `cached_event_message` does.
 */
export interface BusEvent {
  readonly eventType: string;
  /** `{"type":"event","event":{…}` — the message without its id and closing brace. */
  readonly messagePrefix: string;
  /** state_changed only: the entity. */
  readonly entityId?: string;
  /** state_changed only, while subscribe_entities is in use: the compressed message prefix. */
  compressedPrefix?: string;
}

const MESSAGE_HEAD = '{"type":"event","event":';

/** A message prefix (`{"type":"event","event":…`) around an event payload. */
export function eventPrefix(eventJsonText: string): string {
  return MESSAGE_HEAD + eventJsonText;
}

/** The event object's JSON (`{"event_type":…,"context":…}`), cut from the message. */
export function eventJson(event: BusEvent): string {
  return event.messagePrefix.slice(MESSAGE_HEAD.length);
}

// Messages are built flat with join (not `+`): each is copied into a coalesced frame, and copying a
// flat string is much cheaper than walking a rope.

export function busEvent(
  eventType: string,
  dataJson: string,
  timeFiredMicros: number,
  contextJson: string,
): BusEvent {
  const messagePrefix = [
    MESSAGE_HEAD,
    '{"event_type":',
    wireJson(eventType),
    ',"data":',
    dataJson,
    ',"origin":"LOCAL","time_fired":"',
    isoFromMicros(timeFiredMicros),
    '","context":',
    contextJson,
    '}',
  ].join('');
  return { eventType, messagePrefix };
}

/** `state_changed`: `old_state`/`new_state` are pre-serialized state JSON or null. */
export function stateChangedEvent(
  entityId: string,
  entityIdJson: string,
  oldStateJson: string | null,
  newStateJson: string | null,
  timeFiredMicros: number,
  contextJson: string,
): BusEvent {
  const messagePrefix = [
    MESSAGE_HEAD,
    '{"event_type":"state_changed","data":{"entity_id":',
    entityIdJson,
    ',"old_state":',
    oldStateJson ?? 'null',
    ',"new_state":',
    newStateJson ?? 'null',
    '},"origin":"LOCAL","time_fired":"',
    isoFromMicros(timeFiredMicros),
    '","context":',
    contextJson,
    '}',
  ].join('');
  return { eventType: 'state_changed', messagePrefix, entityId };
}

/** How often a change carries a user id (a person acted) or a parent id (an automation or script acted). */
export interface ContextMix {
  readonly userIds: readonly string[];
  readonly userRatio: number;
  readonly parentRatio: number;
}

export interface MadeContext {
  readonly context: HaContext;
  readonly json: string;
}

/** A fresh HA `Context`: a ULID id from the event time, user_id and parent_id sometimes set. */
export function makeContext(
  random: RandomFn,
  timeMicros: number,
  mix: ContextMix,
  userId?: string | null,
): MadeContext {
  const timeMs = Math.floor(timeMicros / 1000);
  const id = ulid(timeMs, random);
  const user =
    userId !== undefined
      ? userId
      : mix.userIds.length > 0 && random() < mix.userRatio
        ? pick(random, mix.userIds)
        : null;
  // A parent context predates its child: an automation's context starts a little earlier.
  const parent = random() < mix.parentRatio ? ulid(timeMs - 1 - Math.floor(random() * 2000), random) : null;
  const json =
    '{"id":"' +
    id +
    '","parent_id":' +
    (parent === null ? 'null' : '"' + parent + '"') +
    ',"user_id":' +
    (user === null ? 'null' : '"' + user + '"') +
    '}';
  return { context: { id, parent_id: parent, user_id: user }, json };
}
