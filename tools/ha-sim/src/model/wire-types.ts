/**
 * The JSON shapes Home Assistant puts on the wire, snake_case exactly as HA sends them
 * (docs/ha-websocket-protocol.md: events, state_changed, registries). These are the simulator's public data types.
 */

/** `Context.as_dict()`, key order id, parent_id, user_id. */
export interface HaContext {
  readonly id: string;
  readonly parent_id: string | null;
  readonly user_id: string | null;
}

/** `State.as_dict()`: a state object in get_states and in state_changed events. */
export interface HaState {
  readonly entity_id: string;
  readonly state: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly last_changed: string;
  readonly last_reported: string;
  readonly last_updated: string;
  readonly context: HaContext;
}

/** `Event.as_dict()`: what a subscription delivers in `{"type":"event","event":…}`. */
export interface HaEvent<TData = unknown> {
  readonly event_type: string;
  readonly data: TData;
  readonly origin: 'LOCAL' | 'REMOTE';
  readonly time_fired: string;
  readonly context: HaContext;
}

/** `data` of a `state_changed` event: added entities have no old state, removed ones no new state. */
export interface HaStateChangedData {
  readonly entity_id: string;
  readonly old_state: HaState | null;
  readonly new_state: HaState | null;
}

/** One item of `config/floor_registry/list` (docs/ha-websocket-protocol.md#registries). */
export interface HaFloorEntry {
  readonly aliases: readonly string[];
  readonly created_at: number;
  readonly floor_id: string;
  readonly icon: string | null;
  readonly level: number | null;
  readonly name: string;
  readonly modified_at: number;
}

/** One item of `config/area_registry/list` (docs/ha-websocket-protocol.md#registries). */
export interface HaAreaEntry {
  readonly aliases: readonly string[];
  readonly area_id: string;
  readonly floor_id: string | null;
  readonly humidity_entity_id: string | null;
  readonly icon: string | null;
  readonly labels: readonly string[];
  readonly name: string;
  readonly picture: string | null;
  readonly temperature_entity_id: string | null;
  readonly created_at: number;
  readonly modified_at: number;
}

/** One item of `config/device_registry/list`: `DeviceEntry.dict_repr` (docs/ha-websocket-protocol.md#registries). */
export interface HaDeviceEntry {
  readonly area_id: string | null;
  readonly configuration_url: string | null;
  readonly config_entries: readonly string[];
  readonly config_entries_subentries: Readonly<Record<string, readonly (string | null)[]>>;
  readonly connections: readonly (readonly [string, string])[];
  readonly created_at: number;
  readonly disabled_by: string | null;
  readonly entry_type: 'service' | null;
  readonly hw_version: string | null;
  readonly id: string;
  readonly identifiers: readonly (readonly [string, string])[];
  readonly labels: readonly string[];
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly model_id: string | null;
  readonly modified_at: number;
  readonly name_by_user: string | null;
  readonly name: string | null;
  readonly primary_config_entry: string | null;
  readonly serial_number: string | null;
  readonly sw_version: string | null;
  readonly via_device_id: string | null;
}

/**
 * One item of `config/entity_registry/list`: `RegistryEntry.as_partial_dict`
 * (docs/ha-websocket-protocol.md#registries).
 */
export interface HaEntityEntry {
  readonly area_id: string | null;
  readonly categories: Readonly<Record<string, string>>;
  readonly config_entry_id: string | null;
  readonly config_subentry_id: string | null;
  readonly created_at: number;
  readonly device_id: string | null;
  readonly disabled_by: string | null;
  readonly entity_category: 'config' | 'diagnostic' | null;
  readonly entity_id: string;
  readonly has_entity_name: boolean;
  readonly hidden_by: string | null;
  readonly icon: string | null;
  readonly id: string;
  readonly labels: readonly string[];
  readonly modified_at: number;
  readonly name: string | null;
  readonly options: Readonly<Record<string, unknown>>;
  readonly original_name: string | null;
  readonly platform: string;
  readonly translation_key: string | null;
  readonly unique_id: string;
}

/** One item of `config_entries/get`: `ConfigEntry.as_json_fragment` of current HA core. */
export interface HaConfigEntry {
  readonly created_at: number;
  readonly entry_id: string;
  readonly domain: string;
  readonly modified_at: number;
  readonly title: string;
  readonly source: string;
  readonly state: string;
  readonly supports_options: boolean;
  readonly supports_remove_device: boolean;
  readonly supports_unload: boolean;
  readonly supports_reconfigure: boolean;
  readonly supported_subentry_types: Readonly<Record<string, unknown>>;
  readonly pref_disable_new_entities: boolean;
  readonly pref_disable_polling: boolean;
  readonly disabled_by: string | null;
  readonly reason: string | null;
  readonly error_reason_translation_key: string | null;
  readonly error_reason_translation_placeholders: Readonly<Record<string, unknown>> | null;
  readonly num_subentries: number;
}
