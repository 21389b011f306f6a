import type { RegistryLists } from '../model/registry-state.js';
import {
  parseAreas,
  parseConfigEntries,
  parseDevices,
  parseEntities,
  parseFloors,
} from '../parse/parse-list.js';

type Raw = Record<string, unknown>;

const strict = (kind: string, issue: string, detail: string): never => {
  throw new Error(`unexpected ${kind}.${issue}: ${detail}`);
};

/** Parses raw fixture lists (throwing on any issue) into lists for `RegistryState.replace`. */
export function parsedLists(raw: {
  floors?: Raw[];
  areas?: Raw[];
  devices?: Raw[];
  entities?: Raw[];
  configEntries?: Raw[];
}): RegistryLists {
  const lists: { -readonly [K in keyof RegistryLists]: RegistryLists[K] } = {};
  const all = <T>(list: T[] | undefined): T[] => list ?? [];
  if (raw.floors) lists.floors = all(parseFloors(raw.floors, strict));
  if (raw.areas) lists.areas = all(parseAreas(raw.areas, strict));
  if (raw.devices) lists.devices = all(parseDevices(raw.devices, strict));
  if (raw.entities) lists.entities = all(parseEntities(raw.entities, strict));
  if (raw.configEntries) lists.configEntries = all(parseConfigEntries(raw.configEntries, strict));
  return lists;
}
