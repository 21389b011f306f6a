/**
 * Typed results of the commands a consumer (and this repository's libraries) send most. They are HA's wire shapes,
 * snake_case exactly as HA sends them: command results are passed through unchanged. Field lists follow HA core
 * (`State.as_dict` in homeassistant/core.py, `websocket_api/commands.py`, `helpers/*_registry.py`
 * `as_partial_dict`/`dict_repr`, `components/config/*_registry.py`) and docs/ha-websocket-protocol.md; fields that
 * newer cores added are optional, so a type never claims a key an older HA (2024.x) does not send. HA may add keys
 * at any time, so these describe what is read, not everything that can arrive.
 */

/** `Context.as_dict()` as HA sends it. */
export interface HaWireContext {
  readonly id: string;
  readonly parent_id: string | null;
  readonly user_id: string | null;
}

/** `State.as_dict()`: one item of `get_states`, and `old_state`/`new_state` of a `state_changed` event. */
export interface HaState {
  readonly entity_id: string;
  readonly state: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly last_changed: string;
  /** Since HA 2024.3. */
  readonly last_reported?: string;
  readonly last_updated: string;
  readonly context: HaWireContext;
}

/** `data` of a `state_changed` event: an added entity has no old state, a removed one no new state. */
export interface HaStateChangedData {
  readonly entity_id: string;
  readonly old_state: HaState | null;
  readonly new_state: HaState | null;
}

/** HA's core state, `CoreState` in homeassistant/core.py. */
export type HaCoreState = 'NOT_RUNNING' | 'STARTING' | 'RUNNING' | 'STOPPING' | 'FINAL_WRITE' | 'STOPPED';

/** The result of `get_config`: `Config.as_dict()` (homeassistant/core_config.py). */
export interface HaConfig {
  readonly latitude: number;
  readonly longitude: number;
  readonly elevation: number;
  readonly unit_system: Readonly<Record<string, string>>;
  readonly location_name: string;
  readonly time_zone: string;
  readonly components: readonly string[];
  readonly config_dir: string;
  readonly allowlist_external_dirs: readonly string[];
  readonly allowlist_external_urls: readonly string[];
  readonly version: string;
  readonly config_source: string;
  readonly recovery_mode: boolean;
  readonly safe_mode: boolean;
  /** `RUNNING` once HA has started; see {@link HaCoreState}. */
  readonly state: string;
  readonly external_url: string | null;
  readonly internal_url: string | null;
  readonly currency: string;
  readonly country: string | null;
  readonly language: string;
  /** Since HA 2024.x. */
  readonly radius?: number;
  readonly debug?: boolean;
}

/** One service of `get_services`: its description (fields, target, response support). */
export interface HaServiceDescription {
  readonly name?: string;
  readonly description?: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly target?: Readonly<Record<string, unknown>>;
  /** Present when the service can return data: `{ optional: boolean }`. */
  readonly response?: { readonly optional: boolean };
}

/** The result of `get_services`: domain → service name → description. */
export type HaServices = Readonly<Record<string, Readonly<Record<string, HaServiceDescription>>>>;

/** The `target` of `call_service`: which entities, devices, areas, floors or labels the service acts on. */
export interface HaServiceTarget {
  readonly entity_id?: string | readonly string[];
  readonly device_id?: string | readonly string[];
  readonly area_id?: string | readonly string[];
  readonly floor_id?: string | readonly string[];
  readonly label_id?: string | readonly string[];
}

/** The payload of `call_service` (websocket_api/commands.py, `handle_call_service`). */
export interface CallServicePayload {
  readonly domain: string;
  readonly service: string;
  readonly service_data?: Readonly<Record<string, unknown>>;
  readonly target?: HaServiceTarget;
  /** Ask for the service's response data; HA refuses it (`service_validation_error`) for a service without one. */
  readonly return_response?: boolean;
}

/** The result of `call_service`: the context HA ran it in and, when asked for, the service's response. */
export interface CallServiceResult<R = unknown> {
  readonly context: HaWireContext;
  /** Only with `return_response: true`. */
  readonly response?: R;
}

/** One item of `config/entity_registry/list`: `RegistryEntry.as_partial_dict` (helpers/entity_registry.py). */
export interface HaEntityRegistryEntry {
  readonly area_id: string | null;
  readonly categories: Readonly<Record<string, string>>;
  readonly config_entry_id: string | null;
  /** Since HA 2025.3. */
  readonly config_subentry_id?: string | null;
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

/** One item of `config/device_registry/list`: `DeviceEntry.dict_repr` (helpers/device_registry.py). */
export interface HaDeviceRegistryEntry {
  readonly area_id: string | null;
  readonly configuration_url: string | null;
  readonly config_entries: readonly string[];
  /** Since HA 2025.3. */
  readonly config_entries_subentries?: Readonly<Record<string, readonly (string | null)[]>>;
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
  readonly model_id?: string | null;
  readonly modified_at: number;
  readonly name_by_user: string | null;
  readonly name: string | null;
  readonly primary_config_entry?: string | null;
  readonly serial_number: string | null;
  readonly sw_version: string | null;
  readonly via_device_id: string | null;
}

/** One item of `config/area_registry/list` (components/config/area_registry.py). */
export interface HaAreaRegistryEntry {
  readonly aliases: readonly string[];
  readonly area_id: string;
  readonly floor_id: string | null;
  /** Newer cores than 2025.1. */
  readonly humidity_entity_id?: string | null;
  readonly icon: string | null;
  readonly labels: readonly string[];
  readonly name: string;
  readonly picture: string | null;
  /** Newer cores than 2025.1. */
  readonly temperature_entity_id?: string | null;
  readonly created_at: number;
  readonly modified_at: number;
}

/** One item of `config/floor_registry/list` (components/config/floor_registry.py). */
export interface HaFloorRegistryEntry {
  readonly aliases: readonly string[];
  readonly created_at: number;
  readonly floor_id: string;
  readonly icon: string | null;
  readonly level: number | null;
  readonly name: string;
  readonly modified_at: number;
}

/**
 * The commands `sendCommand` knows by name: their payload and result. `sendCommand('get_states')` resolves with
 * `HaState[]` without a type argument; any other command takes one (`sendCommand<MyResult>('x/y')`).
 */
export interface HaCommands {
  get_states: { payload: undefined; result: HaState[] };
  get_config: { payload: undefined; result: HaConfig };
  get_services: { payload: undefined; result: HaServices };
  call_service: { payload: CallServicePayload; result: CallServiceResult };
  'config/entity_registry/list': { payload: undefined; result: HaEntityRegistryEntry[] };
  'config/device_registry/list': { payload: undefined; result: HaDeviceRegistryEntry[] };
  'config/area_registry/list': { payload: undefined; result: HaAreaRegistryEntry[] };
  'config/floor_registry/list': { payload: undefined; result: HaFloorRegistryEntry[] };
}

/** The name of a command in {@link HaCommands}. */
export type HaCommandType = keyof HaCommands;
