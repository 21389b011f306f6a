import { secondsFromMicros } from '../util/iso-time.js';
import { pyFloat } from '../util/py-json.js';
import { wireJson } from '../util/wire-text.js';
import type { StateRecord } from './state-record.js';
import type { HaContext } from './wire-types.js';

/**
 * `subscribe_entities` payloads (HA `websocket_api/messages.py`): compressed states (`s`, `a`, `c`, `lc`,
 * `lu` only when it differs from `lc`) and per-change diffs (`+` additions, `-` removed attributes).
 * Built only while someone is subscribed, so plain event streams do not pay for them.
 */

/** What a diff needs from the state before a change. */
export interface StateSnapshot {
  readonly state: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly lastChanged: number;
  readonly lastUpdated: number;
  readonly context: HaContext;
}

export function snapshot(record: StateRecord): StateSnapshot {
  return {
    state: record.state,
    attributes: record.currentAttributes(),
    lastChanged: record.lastChanged,
    lastUpdated: record.lastUpdated,
    context: record.context,
  };
}

/** Float epoch seconds, printed as Python prints floats (`lc`, `lu`). */
const seconds = (micros: number): string => pyFloat(secondsFromMicros(micros));

function contextJson(context: HaContext): string {
  // The context travels as its bare id when it has neither parent nor user.
  return context.parent_id === null && context.user_id === null ? wireJson(context.id) : wireJson(context);
}

/** `"entity_id":{compressed state}` (HA `as_compressed_state`). */
export function compressedEntry(record: StateRecord): string {
  const lu = record.lastUpdated === record.lastChanged ? '' : ',"lu":' + seconds(record.lastUpdated);
  return (
    record.idJson +
    ':{"s":' +
    wireJson(record.state) +
    ',"a":' +
    record.attributesJson +
    ',"c":' +
    contextJson(record.context) +
    ',"lc":' +
    seconds(record.lastChanged) +
    lu +
    '}'
  );
}

/** The event part of a message for an added entity: `{"a":{…}}`. */
export function addedEvent(record: StateRecord): string {
  return '{"a":{' + compressedEntry(record) + '}}';
}

/** The event part for a removed entity: `{"r":["id"]}`. */
export function removedEvent(idJson: string): string {
  return '{"r":[' + idJson + ']}';
}

/** The event part for a change: `{"c":{"id":{"+":{…},"-":{"a":[…]}}}}`, in HA's key order. */
export function changedEvent(before: StateSnapshot, record: StateRecord): string {
  const additions: Record<string, unknown> = {};
  if (before.state !== record.state) additions['s'] = record.state;
  let times = '';
  if (before.lastChanged !== record.lastChanged) times = '"lc":' + seconds(record.lastChanged);
  else if (before.lastUpdated !== record.lastUpdated) times = '"lu":' + seconds(record.lastUpdated);
  const old = before.context;
  const now = record.context;
  let context: string | Record<string, unknown> | undefined;
  if (old.parent_id !== now.parent_id) context = { parent_id: now.parent_id };
  if (old.user_id !== now.user_id)
    context = { ...(typeof context === 'object' ? context : {}), user_id: now.user_id };
  if (old.id !== now.id) context = typeof context === 'object' ? { ...context, id: now.id } : now.id;
  const attributes = record.currentAttributes();
  const changed: Record<string, unknown> = {};
  let anyChanged = false;
  for (const [key, value] of Object.entries(attributes)) {
    if (!(key in before.attributes) || JSON.stringify(before.attributes[key]) !== JSON.stringify(value)) {
      changed[key] = value;
      anyChanged = true;
    }
  }
  const removed = Object.keys(before.attributes).filter((key) => !(key in attributes));
  const parts: string[] = [];
  if ('s' in additions) parts.push('"s":' + wireJson(additions['s']));
  if (times !== '') parts.push(times);
  if (context !== undefined) parts.push('"c":' + wireJson(context));
  if (anyChanged) parts.push('"a":' + wireJson(changed));
  const minus = removed.length > 0 ? ',"-":{"a":' + wireJson(removed) + '}' : '';
  return '{"c":{' + record.idJson + ':{"+":{' + parts.join(',') + '}' + minus + '}}}';
}
