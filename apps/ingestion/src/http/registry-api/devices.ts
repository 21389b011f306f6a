import type { RegistryView } from '@homeiq/registry-discovery';
import { checkLimit, filterParam, intParam, type QueryParams } from './params.js';

/** Filters of `GET /api/devices`, the data-api's (docs/decisions.md#the-data-api-contract). All optional; exact. */
export interface DevicesQuery {
  /** 1..1000. @default 100 */
  readonly limit?: number;
  readonly manufacturer?: string;
  readonly model?: string;
  /** The device's own area. */
  readonly areaId?: string;
  /** Devices with at least one entity of this platform; `entity_count` then counts only those entities. */
  readonly platform?: string;
  /** Classifier field of the data-api's contract; this library does not classify, so a filter matches nothing. */
  readonly deviceType?: string;
  /** Classifier field of the data-api's contract; see {@link DevicesQuery.deviceType}. */
  readonly deviceCategory?: string;
}

/**
 * One device as the data-api's `DeviceResponse` (snake_case: this is that HTTP contract; docs/decisions.md).
 * Fields the data-api filled from its own classifier and device database are always null here.
 */
export interface DeviceResponse {
  readonly device_id: string;
  /** `name_by_user ?? name ?? "Unknown"`. */
  readonly name: string;
  /** `"Unknown"` when HA has none. */
  readonly manufacturer: string;
  /** `"Unknown"` when HA has none. */
  readonly model: string;
  readonly integration: string | null;
  readonly sw_version: string | null;
  readonly area_id: string | null;
  readonly config_entry_id: string | null;
  readonly via_device: string | null;
  readonly device_type: null;
  readonly device_category: null;
  readonly power_consumption_idle_w: null;
  readonly power_consumption_active_w: null;
  readonly power_consumption_max_w: null;
  readonly setup_instructions_url: null;
  readonly troubleshooting_notes: null;
  readonly device_features_json: null;
  readonly community_rating: null;
  readonly last_capability_sync: null;
  readonly entity_count: number;
  /** ISO time the device registry last listed it. */
  readonly timestamp: string;
  readonly labels: readonly string[];
  readonly serial_number: string | null;
  readonly model_id: string | null;
  /** `active` when listed within `inactiveAfterMs`, else `inactive`. */
  readonly status: 'active' | 'inactive';
}

/** `GET /api/devices` response. `count` is the number of devices returned (as the data-api counted). */
export interface DevicesResponse {
  readonly devices: readonly DeviceResponse[];
  readonly count: number;
  readonly limit: number;
}

/** Reads `GET /api/devices` query parameters; throws RegistryQueryError (HTTP 422) for a bad `limit`. */
export function parseDevicesQuery(params: QueryParams): DevicesQuery {
  const query: Record<string, string | number | undefined> = {
    limit: intParam(params, 'limit', 1, 1000, 100),
    manufacturer: filterParam(params, 'manufacturer'),
    model: filterParam(params, 'model'),
    areaId: filterParam(params, 'area_id'),
    platform: filterParam(params, 'platform'),
    deviceType: filterParam(params, 'device_type'),
    deviceCategory: filterParam(params, 'device_category'),
  };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
}

/** Answers `GET /api/devices` from the current picture, in HA's registry order. */
export function queryDevices(
  view: RegistryView,
  query: DevicesQuery,
  nowMs: number,
  inactiveAfterMs: number,
): DevicesResponse {
  const limit = checkLimit(query.limit, 1000, 100);
  const devices: DeviceResponse[] = [];
  if (query.deviceType !== undefined || query.deviceCategory !== undefined)
    return { devices, count: 0, limit };
  for (const device of view.devices()) {
    if (devices.length >= limit) break;
    if (query.manufacturer !== undefined && device.manufacturer !== query.manufacturer) continue;
    if (query.model !== undefined && device.model !== query.model) continue;
    if (query.areaId !== undefined && device.areaId !== query.areaId) continue;
    let entities = view.entitiesOf(device.deviceId);
    if (query.platform !== undefined) {
      const platform = query.platform;
      entities = entities.filter((entity) => entity.platform === platform);
      if (entities.length === 0) continue;
    }
    const seenAtMs = view.deviceSeenAtMs(device.deviceId) ?? nowMs;
    devices.push({
      device_id: device.deviceId,
      name: device.displayName ?? 'Unknown',
      manufacturer: device.manufacturer ?? 'Unknown',
      model: device.model ?? 'Unknown',
      integration: device.integration,
      sw_version: device.swVersion,
      area_id: device.areaId,
      config_entry_id: device.configEntryId,
      via_device: device.viaDeviceId,
      device_type: null,
      device_category: null,
      power_consumption_idle_w: null,
      power_consumption_active_w: null,
      power_consumption_max_w: null,
      setup_instructions_url: null,
      troubleshooting_notes: null,
      device_features_json: null,
      community_rating: null,
      last_capability_sync: null,
      entity_count: entities.length,
      timestamp: new Date(seenAtMs).toISOString(),
      labels: device.labels,
      serial_number: device.serialNumber,
      model_id: device.modelId,
      status: nowMs - seenAtMs <= inactiveAfterMs ? 'active' : 'inactive',
    });
  }
  return { devices, count: devices.length, limit };
}
