import type {
  AreaRecord,
  ConfigEntryRecord,
  DeviceRecord,
  EntityRecord,
  FloorRecord,
  RegistryKind,
} from '../model/types.js';
import { parseArea, parseConfigEntry, parseDevice, parseEntity, parseFloor } from './parse-entries.js';
import { BadEntry, fieldReader, isRecord, type FieldReader } from './read.js';

/**
 * Why something from HA was not used as sent. Every occurrence is counted and reported through `onDrop`:
 * - `not_a_list`: a registry command answered with something other than an array (the picture is kept as is);
 * - `bad_entry`: an entry that is not an object or has no usable id (skipped);
 * - `duplicate_id`: entries with an id already listed (skipped; the first wins), reported once per id and list
 *   with the number skipped;
 * - `bad_field`: a field of the wrong type (read as its default; the entry is kept);
 * - `bad_event`: a registry update event without the documented data shape (a refetch still follows).
 */
export type PayloadIssue = 'not_a_list' | 'bad_entry' | 'duplicate_id' | 'bad_field' | 'bad_event';

/**
 * Receives each issue with the registry it concerns, a short detail and how many entries it stands for (1 unless
 * one report covers several, as for the repeats of one duplicated id).
 */
export type IssueSink = (
  kind: RegistryKind | 'config_entries',
  issue: PayloadIssue,
  detail: string,
  count?: number,
) => void;

type EntryParser<R> = (reader: FieldReader, rawJson: string) => R;

function parseList<R>(
  kind: RegistryKind | 'config_entries',
  raw: unknown,
  parse: EntryParser<R>,
  idOf: (record: R) => string,
  report: IssueSink,
): R[] | undefined {
  if (!Array.isArray(raw)) {
    report(kind, 'not_a_list', `expected an array, got ${raw === null ? 'null' : typeof raw}`);
    return undefined;
  }
  // id → index of the entry kept, and how many later entries repeated it.
  const seen = new Map<string, { readonly first: number; repeats: number }>();
  const records: R[] = [];
  for (const [index, item] of (raw as unknown[]).entries()) {
    if (!isRecord(item)) {
      report(kind, 'bad_entry', `item ${index} is not an object`);
      continue;
    }
    const reader = fieldReader(item, (key, got) => {
      report(kind, 'bad_field', `item ${index}: \`${key}\` has type ${got}`);
    });
    let record: R;
    try {
      record = parse(reader, JSON.stringify(item));
    } catch (error) {
      if (!(error instanceof BadEntry)) throw error;
      report(kind, 'bad_entry', `item ${index}: ${error.detail}`);
      continue;
    }
    const id = idOf(record);
    const kept = seen.get(id);
    if (kept !== undefined) {
      kept.repeats += 1;
      continue;
    }
    seen.set(id, { first: index, repeats: 0 });
    records.push(record);
  }
  for (const [id, { first, repeats }] of seen) {
    if (repeats > 0)
      report(
        kind,
        'duplicate_id',
        `id ${JSON.stringify(id)} listed ${repeats + 1} times; item ${first} kept, ${repeats} skipped`,
        repeats,
      );
  }
  return records;
}

/** Parses `config/floor_registry/list`; undefined when the result is not a list. */
export function parseFloors(raw: unknown, report: IssueSink): FloorRecord[] | undefined {
  return parseList('floors', raw, parseFloor, (r) => r.floorId, report);
}

/** Parses `config/area_registry/list`. */
export function parseAreas(raw: unknown, report: IssueSink): AreaRecord[] | undefined {
  return parseList('areas', raw, parseArea, (r) => r.areaId, report);
}

/** Parses `config/device_registry/list`. */
export function parseDevices(raw: unknown, report: IssueSink): DeviceRecord[] | undefined {
  return parseList('devices', raw, parseDevice, (r) => r.deviceId, report);
}

/** Parses `config/entity_registry/list`. */
export function parseEntities(raw: unknown, report: IssueSink): EntityRecord[] | undefined {
  return parseList('entities', raw, parseEntity, (r) => r.entityId, report);
}

/** Parses `config_entries/get`. */
export function parseConfigEntries(raw: unknown, report: IssueSink): ConfigEntryRecord[] | undefined {
  return parseList(
    'config_entries',
    raw,
    (reader) => parseConfigEntry(reader),
    (r) => r.entryId,
    report,
  );
}
