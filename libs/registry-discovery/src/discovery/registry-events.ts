import type { RegistryKind } from '../model/types.js';
import { isRecord } from '../parse/read.js';

/** The `*_registry_updated` event type of each registry (docs/ha-websocket-protocol.md#registry-events). */
export const REGISTRY_EVENT_TYPES: { readonly [K in RegistryKind]: string } = {
  floors: 'floor_registry_updated',
  areas: 'area_registry_updated',
  devices: 'device_registry_updated',
  entities: 'entity_registry_updated',
};

const ID_KEYS: { readonly [K in RegistryKind]: string } = {
  floors: 'floor_id',
  areas: 'area_id',
  devices: 'device_id',
  entities: 'entity_id',
};

/** A registry update event's data, read. */
export interface RegistryUpdate {
  /** `create`, `update`, `remove`, or (areas/floors, newer HA) `reorder`. */
  readonly action: string;
  /** The entry's id; null for `reorder`, which names none. */
  readonly id: string | null;
  /** Entity renames only: the entity_id before the rename. */
  readonly oldEntityId: string | null;
}

/**
 * Reads an event's data, or returns why it is malformed. HA sends only the action and the id (and, for entity
 * renames, `old_entity_id`); `changes` holds OLD values, so it is not used: the list is refetched instead.
 */
export function readRegistryUpdate(kind: RegistryKind, data: unknown): RegistryUpdate | string {
  if (!isRecord(data)) return 'data is not an object';
  const action = data['action'];
  if (typeof action !== 'string') return '`action` is not a string';
  const id = data[ID_KEYS[kind]];
  if (action === 'reorder' && (id === undefined || id === null))
    return { action, id: null, oldEntityId: null };
  if (typeof id !== 'string' || id === '') return `\`${ID_KEYS[kind]}\` is not a non-empty string`;
  const old = data['old_entity_id'];
  if (kind === 'entities' && old !== undefined && old !== null && typeof old !== 'string') {
    return '`old_entity_id` is not a string';
  }
  return { action, id, oldEntityId: kind === 'entities' && typeof old === 'string' ? old : null };
}
