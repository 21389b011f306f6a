import type { DeviceRecord, EntityRecord, RegistryChange } from '../model/types.js';
import type { RegistryView } from '../model/view.js';

/** Timestamp precision of history lines; it must match the precision the writer sends to InfluxDB. */
export type HistoryPrecision = 'ns' | 'us' | 'ms' | 's';

const DIGITS_BELOW_SECOND: Readonly<Record<HistoryPrecision, number>> = { s: 0, ms: 3, us: 6, ns: 9 };

/**
 * Receives InfluxDB line-protocol lines of registry snapshots, timestamped at the `historyPrecision` option. The app wires it to its
 * InfluxDB sink when `STORE_DEVICE_HISTORY_IN_INFLUXDB=true`; this library has no InfluxDB client.
 */
export type RegistryHistoryWriter = (lines: readonly string[]) => void | Promise<void>;

// Line protocol cannot carry a newline in a tag or field value, so newlines become spaces.
const flat = (value: string): string => value.replace(/[\r\n]+/g, ' ');
const escapeKey = (value: string): string => flat(value).replace(/[,= \\]/g, (c) => `\\${c}`);
const escapeString = (value: string): string => `"${flat(value).replace(/["\\]/g, (c) => `\\${c}`)}"`;

function line(
  measurement: string,
  tags: Readonly<Record<string, string | null>>,
  fields: Readonly<Record<string, string | number | boolean | null>>,
  timestamp: string,
): string {
  let head = measurement;
  // An empty tag value is invalid line protocol: absent values are left out.
  for (const [key, value] of Object.entries(tags))
    if (value !== null && value !== '') head += `,${key}=${escapeKey(value)}`;
  const body: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === null) continue;
    if (typeof value === 'string') body.push(`${key}=${escapeString(value)}`);
    else if (typeof value === 'number') body.push(`${key}=${Math.trunc(value)}i`);
    else body.push(`${key}=${String(value)}`);
  }
  return `${head} ${body.join(',')} ${timestamp}`;
}

/**
 * The original service's `devices` point (docs/decisions.md#influxdb-points): tags device_id, manufacturer, model,
 * area_id ("unassigned"); fields name, sw_version, entity_count.
 */
function deviceLine(view: RegistryView, device: DeviceRecord, removed: boolean, ts: string): string {
  return line(
    'devices',
    {
      device_id: device.deviceId,
      manufacturer: device.manufacturer,
      model: device.model,
      area_id: device.areaId ?? 'unassigned',
      integration: device.integration,
    },
    {
      name: device.displayName ?? device.deviceId,
      sw_version: device.swVersion,
      entity_count: removed ? 0 : view.entitiesOf(device.deviceId).length,
      removed,
    },
    ts,
  );
}

/**
 * The original service's `entities` point (docs/decisions.md#influxdb-points): tags entity_id, device_id, domain,
 * platform, area_id; fields unique_id, disabled.
 */
function entityLine(view: RegistryView, entity: EntityRecord, removed: boolean, ts: string): string {
  return line(
    'entities',
    {
      entity_id: entity.entityId,
      device_id: entity.deviceId,
      domain: entity.domain,
      platform: entity.platform,
      area_id: removed ? entity.areaId : view.areaIdOf(entity),
    },
    { unique_id: entity.uniqueId ?? '', disabled: entity.disabledBy !== null, removed },
    ts,
  );
}

/**
 * Snapshot lines for one change: after a full refresh every live device and entity (as the original service wrote
 * on each discovery), otherwise the changed ones; removed entries get `removed=true`. Timestamps are whole seconds,
 * as it wrote them, expressed at `precision` (docs/decisions.md#influxdb-points).
 */
export function historyLines(
  change: RegistryChange,
  view: RegistryView,
  precision: HistoryPrecision = 'ns',
): string[] {
  const ts = String(Math.floor(change.atMs / 1000)) + '0'.repeat(DIGITS_BELOW_SECOND[precision]);
  const full = change.reason === 'refresh';
  const lines: string[] = [];
  for (const device of full ? view.devices() : change.devices.upserted)
    lines.push(deviceLine(view, device, false, ts));
  for (const device of change.devices.removed) lines.push(deviceLine(view, device, true, ts));
  for (const entity of full ? view.entities() : change.entities.upserted)
    lines.push(entityLine(view, entity, false, ts));
  for (const entity of change.entities.removed) lines.push(entityLine(view, entity, true, ts));
  return lines;
}
