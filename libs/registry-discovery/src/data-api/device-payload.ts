import type { DeviceRecord } from '../model/types.js';
import type { RegistryView } from '../model/view.js';

/** A `[type, value]` pair list (`identifiers`, `connections`) as strings, tolerating other shapes. */
function pairStrings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return (value as unknown[]).flatMap((pair) =>
    Array.isArray(pair) ? (pair as unknown[]).filter((part): part is string => typeof part === 'string') : [],
  );
}

const IEEE_HEX = /^0x[0-9a-f]{8,}/i;

function looksLikeBridge(device: DeviceRecord): boolean {
  const manufacturer = device.manufacturer?.toLowerCase() ?? '';
  const model = device.model?.toLowerCase() ?? '';
  const name = device.displayName?.toLowerCase() ?? '';
  return manufacturer.includes('zigbee2mqtt') || (model.includes('bridge') && name.includes('zigbee'));
}

/** The data-api contract's Zigbee2MQTT detection, computed once per batch over the whole device registry. */
export interface ZigbeeDetector {
  isZigbee2Mqtt(device: DeviceRecord): boolean;
}

/**
 * Builds the detection rules (docs/decisions.md#the-data-api-contract): an identifier that mentions zigbee/ieee
 * or is an IEEE address (`0x` + ≥8 hex digits); or a device sharing its first config entry with a Zigbee2MQTT
 * bridge; or an `mqtt` device whose via-device is such a bridge.
 */
export function createZigbeeDetector(view: RegistryView): ZigbeeDetector {
  const bridgeIds = new Set<string>();
  const bridgeEntries = new Set<string>();
  for (const device of view.devices()) {
    if (!looksLikeBridge(device)) continue;
    bridgeIds.add(device.deviceId);
    const first = device.configEntries[0];
    if (first !== undefined) bridgeEntries.add(first);
  }
  return {
    isZigbee2Mqtt(device) {
      const ids = pairStrings(device.raw['identifiers']);
      if (ids.some((id) => /zigbee|ieee/i.test(id) || IEEE_HEX.test(id))) return true;
      const first = device.configEntries[0];
      if (first !== undefined && bridgeEntries.has(first)) return true;
      return (
        device.integration === 'mqtt' && device.viaDeviceId !== null && bridgeIds.has(device.viaDeviceId)
      );
    },
  };
}

/**
 * One item of `POST /internal/devices/bulk_upsert`: the raw HA device dict plus `integration` (the config entry's
 * domain) and, for Zigbee2MQTT devices, `integration` and `source` set to `zigbee2mqtt` — the data-api's payload.
 */
export function devicePayload(device: DeviceRecord, zigbee: ZigbeeDetector): Record<string, unknown> {
  if (zigbee.isZigbee2Mqtt(device))
    return { ...device.raw, integration: 'zigbee2mqtt', source: 'zigbee2mqtt' };
  return { ...device.raw, integration: device.integration };
}
