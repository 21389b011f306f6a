import { formatLine, type LinePoint, type Precision, type RejectReason } from '@homeiq/event-normalizer';
import type { DeviceRecord, EntityRecord, RegistryChange } from '../model/types.js';
import type { RegistryView } from '../model/view.js';

/**
 * Receives InfluxDB line-protocol lines of registry snapshots, timestamped at the `historyPrecision` option. The app wires it to its
 * InfluxDB sink when `STORE_DEVICE_HISTORY_IN_INFLUXDB=true`; this library has no InfluxDB client.
 */
export type RegistryHistoryWriter = (lines: readonly string[]) => void | Promise<void>;

/** A snapshot point `formatLine` refused, so no line was written for it. */
export interface RejectedHistoryPoint {
  readonly measurement: 'devices' | 'entities';
  /** The device or entity id. */
  readonly id: string;
  readonly reason: RejectReason;
  readonly detail: string;
}

/** The lines of one change, and the points that could not be written. */
export interface HistoryLines {
  readonly lines: string[];
  readonly rejected: RejectedHistoryPoint[];
}

/** A `devices` or `entities` point. */
interface HistoryPoint extends LinePoint {
  readonly measurement: 'devices' | 'entities';
}

/**
 * The original service's `devices` point (docs/decisions.md#influxdb-points): tags device_id, manufacturer, model,
 * area_id ("unassigned"); fields name, sw_version, entity_count.
 */
function devicePoint(
  view: RegistryView,
  device: DeviceRecord,
  removed: boolean,
  timestampUs: number,
): HistoryPoint {
  return {
    measurement: 'devices',
    tags: {
      device_id: device.deviceId,
      manufacturer: device.manufacturer,
      model: device.model,
      area_id: device.areaId ?? 'unassigned',
      integration: device.integration,
    },
    fields: {
      name: device.displayName ?? device.deviceId,
      sw_version: device.swVersion,
      // An integer field: the devices series hold entity_count as one (docs/decisions.md#influxdb-points).
      entity_count: BigInt(removed ? 0 : view.entitiesOf(device.deviceId).length),
      removed,
    },
    timestampUs,
  };
}

/**
 * The original service's `entities` point (docs/decisions.md#influxdb-points): tags entity_id, device_id, domain,
 * platform, area_id; fields unique_id, disabled.
 */
function entityPoint(
  view: RegistryView,
  entity: EntityRecord,
  removed: boolean,
  timestampUs: number,
): HistoryPoint {
  return {
    measurement: 'entities',
    tags: {
      entity_id: entity.entityId,
      device_id: entity.deviceId,
      domain: entity.domain,
      platform: entity.platform,
      area_id: removed ? entity.areaId : view.areaIdOf(entity),
    },
    fields: { unique_id: entity.uniqueId ?? '', disabled: entity.disabledBy !== null, removed },
    timestampUs,
  };
}

/**
 * Snapshot lines for one change: after a full refresh every live device and entity (as the original service wrote
 * on each discovery), otherwise the changed ones; removed entries get `removed=true`. Timestamps are whole seconds,
 * as it wrote them, expressed at `precision` (docs/decisions.md#influxdb-points). Each point is encoded by
 * `@homeiq/event-normalizer`'s `formatLine`; one it refuses is returned in `rejected` instead of a line.
 */
export function historyLines(
  change: RegistryChange,
  view: RegistryView,
  precision: Precision = 'ns',
): HistoryLines {
  const timestampUs = Math.floor(change.atMs / 1000) * 1_000_000;
  const full = change.reason === 'refresh';
  const points: HistoryPoint[] = [];
  for (const device of full ? view.devices() : change.devices.upserted)
    points.push(devicePoint(view, device, false, timestampUs));
  for (const device of change.devices.removed) points.push(devicePoint(view, device, true, timestampUs));
  for (const entity of full ? view.entities() : change.entities.upserted)
    points.push(entityPoint(view, entity, false, timestampUs));
  for (const entity of change.entities.removed) points.push(entityPoint(view, entity, true, timestampUs));

  const result: HistoryLines = { lines: [], rejected: [] };
  for (const point of points) {
    // A name or model too long for InfluxDB rejects the point rather than writing it without that field.
    const encoded = formatLine(point, { precision, oversizeStringField: 'reject' });
    if (encoded.ok) result.lines.push(encoded.line);
    else {
      const id = point.measurement === 'devices' ? point.tags?.['device_id'] : point.tags?.['entity_id'];
      result.rejected.push({
        measurement: point.measurement,
        id: id ?? '',
        reason: encoded.reason,
        detail: encoded.detail,
      });
    }
  }
  return result;
}
