/**
 * The status page's logic that is not drawing: reading `/metrics`, turning two readings into one chart sample,
 * SVG paths, the entity search and the registry tree. Each function runs in the browser: status-page.ts embeds
 * its source text (`fn.toString()`) in the page's script, so it must use nothing but its arguments, the language
 * and the other functions here (no imports, no module state, no DOM). Being TypeScript here, it is type-checked and
 * unit-tested like the rest of the app.
 */

/** Counter and gauge totals from `/metrics`: every series of a name summed over its labels. */
export type MetricTotals = Readonly<Record<string, number>>;

/** Reads the Prometheus text format (https://prometheus.io/docs/instrumenting/exposition_formats/). */
export function parseMetrics(text: string): MetricTotals {
  const totals: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)/.exec(line);
    if (match === null) continue;
    const name = match[1] ?? '';
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    totals[name] = (totals[name] ?? 0) + value;
  }
  return totals;
}

/** One point of the page's charts. Rates are per second over the interval since the previous reading. */
export interface ChartSample {
  readonly atMs: number;
  readonly receivedPerS: number | null;
  readonly writtenPerS: number | null;
  readonly pending: number;
  readonly spooled: number;
  /** Mean InfluxDB write time of the interval's writes; null when none finished in it. */
  readonly writeLatencyMs: number | null;
  readonly reconnects: number;
  /** Changes read back from the recorder plus final states written for gaps (backfill=true and resync=true). */
  readonly gapPoints: number;
}

/** A reading of `/metrics` at `atMs`, as the next chart sample (rates need the previous reading). */
export function chartSample(
  previous: { readonly atMs: number; readonly totals: MetricTotals } | undefined,
  atMs: number,
  totals: MetricTotals,
): ChartSample {
  const value = (name: string): number => totals[name] ?? 0;
  const seconds = previous === undefined ? 0 : (atMs - previous.atMs) / 1000;
  const rate = (name: string): number | null =>
    previous === undefined || seconds <= 0
      ? null
      : Math.max(0, (value(name) - (previous.totals[name] ?? 0)) / seconds);
  const writes =
    previous === undefined
      ? 0
      : value('homeiq_influx_write_duration_seconds_count') -
        (previous.totals['homeiq_influx_write_duration_seconds_count'] ?? 0);
  const writeSeconds =
    previous === undefined
      ? 0
      : value('homeiq_influx_write_duration_seconds_sum') -
        (previous.totals['homeiq_influx_write_duration_seconds_sum'] ?? 0);
  return {
    atMs,
    receivedPerS: rate('homeiq_events_received_total'),
    writtenPerS: rate('homeiq_points_written_total'),
    pending: value('homeiq_queue_pending_points'),
    spooled: value('homeiq_spool_points'),
    writeLatencyMs: writes > 0 ? (writeSeconds / writes) * 1000 : null,
    reconnects: value('homeiq_ha_reconnects_total'),
    gapPoints: value('homeiq_backfill_points_total') + value('homeiq_resync_points_total'),
  };
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `max` (at least 1): a chart's top line. */
export function niceCeiling(max: number): number {
  if (!(max > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/**
 * An SVG path through `values` spread evenly over `width` (oldest left), 0 at the bottom and `top` at the top of
 * `height`; a null breaks the line. Empty when there is nothing to draw.
 */
export function linePath(
  values: readonly (number | null)[],
  width: number,
  height: number,
  top: number,
): string {
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const runs: string[][] = [];
  let run: string[] | undefined;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      run = undefined;
      return;
    }
    const x = (values.length > 1 ? i * step : width).toFixed(1);
    const y = (height - (Math.min(Math.max(v, 0), top) / top) * height).toFixed(1);
    if (run === undefined) {
      run = [];
      runs.push(run);
    }
    run.push(x + ' ' + y);
  });
  // A reading alone between gaps is drawn as a dot-sized segment, so that it is visible.
  return runs.map((r) => 'M' + r.join(' L') + (r.length === 1 ? ' L' + (r[0] ?? '') : '')).join(' ');
}

/**
 * An SVG path through `[x, y]` points placed by value: `x` from `x0` (left) to `x1` (right), `y` from `y0`
 * (bottom) to `y1` (top) of a `width` × `height` box. Points outside the x range are left out.
 */
export function scaledPath(
  points: readonly (readonly [number, number])[],
  box: {
    readonly x0: number;
    readonly x1: number;
    readonly y0: number;
    readonly y1: number;
    readonly width: number;
    readonly height: number;
  },
): string {
  const dx = box.x1 - box.x0 || 1;
  const dy = box.y1 - box.y0 || 1;
  const parts: string[] = [];
  for (const [x, y] of points) {
    if (x < box.x0 || x > box.x1 || !Number.isFinite(y)) continue;
    const px = (((x - box.x0) / dx) * box.width).toFixed(1);
    const py = (box.height - ((y - box.y0) / dy) * box.height).toFixed(1);
    parts.push((parts.length === 0 ? 'M' : 'L') + px + ' ' + py);
  }
  if (parts.length === 1) parts.push((parts[0] ?? '').replace('M', 'L'));
  return parts.join(' ');
}

/** A state as a chartable number, as HA's influxdb integration reads it (a float), or null (`on`, `unknown`, …). */
export function numericState(state: unknown): number | null {
  if (typeof state !== 'string' || state.trim() === '') return null;
  const n = Number(state);
  return Number.isFinite(n) ? n : null;
}

/** An entity the value chart can show. */
export interface EntityChoice {
  readonly entityId: string;
  readonly name: string;
}

/**
 * The entities whose id or name contains every word of `query` (case-insensitive), best first: those starting
 * with the query, then by id; at most `limit`.
 */
export function searchEntities(
  choices: readonly EntityChoice[],
  query: string,
  limit: number,
): EntityChoice[] {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const q = query.trim().toLowerCase();
  return choices
    .filter((c) => {
      const hay = (c.entityId + ' ' + c.name).toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .sort((a, b) => {
      const ap = a.entityId.toLowerCase().startsWith(q) || a.name.toLowerCase().startsWith(q) ? 0 : 1;
      const bp = b.entityId.toLowerCase().startsWith(q) || b.name.toLowerCase().startsWith(q) ? 0 : 1;
      return ap - bp || (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : 0);
    })
    .slice(0, limit);
}

/** The parts of `/api/areas`, `/api/devices` and `/api/entities` the registry tree shows. */
export interface RegistryLists {
  readonly areas: readonly { area_id: string; name: string; floor_name: string | null }[];
  readonly devices: readonly {
    device_id: string;
    name: string;
    manufacturer: string;
    model: string;
    area_id: string | null;
  }[];
  readonly entities: readonly {
    entity_id: string;
    friendly_name: string;
    device_id: string | null;
    area_id: string | null;
  }[];
}

/** One area of the tree (the last one, `area_id` null, holds what has no area), its devices and their entities. */
export interface AreaNode {
  readonly areaId: string | null;
  readonly name: string;
  readonly floor: string | null;
  readonly devices: {
    readonly deviceId: string | null;
    readonly name: string;
    readonly model: string;
    readonly entities: { readonly entityId: string; readonly name: string }[];
  }[];
  readonly entityCount: number;
}

/**
 * Areas → devices → entities, in HA's area order. A device sits in its own area; an entity under its device when
 * the device is in the entity's (effective) area, else in a "no device" row of its area (an entity whose area
 * overrides its device's). What has no area comes last, under "No area"; empty areas are kept (HA shows them).
 */
export function registryTree(lists: RegistryLists): AreaNode[] {
  type Device = AreaNode['devices'][number];
  interface Entry {
    readonly node: AreaNode;
    readonly devices: Map<string | null, Device>;
  }
  const areas = new Map<string | null, Entry>();
  const addArea = (id: string | null, name: string, floor: string | null): Entry => {
    const entry: Entry = {
      node: { areaId: id, name, floor, devices: [], entityCount: 0 },
      devices: new Map(),
    };
    areas.set(id, entry);
    return entry;
  };
  for (const a of lists.areas) addArea(a.area_id, a.name, a.floor_name);
  const devicesById = new Map(lists.devices.map((d) => [d.device_id, d]));
  const place = (areaId: string | null, deviceId: string | null): Device => {
    // An area the area registry does not list (removed meanwhile) counts as none.
    const entry = areas.get(areaId) ?? areas.get(null) ?? addArea(null, 'No area', null);
    let device = entry.devices.get(deviceId);
    if (device === undefined) {
      const d = deviceId === null ? undefined : devicesById.get(deviceId);
      device = {
        deviceId,
        name: d?.name ?? '(no device)',
        model: d === undefined ? '' : [d.manufacturer, d.model].filter((s) => s !== '').join(' '),
        entities: [],
      };
      entry.devices.set(deviceId, device);
      entry.node.devices.push(device);
    }
    return device;
  };
  for (const d of lists.devices) place(d.area_id, d.device_id);
  for (const e of lists.entities) {
    const device = e.device_id === null ? undefined : devicesById.get(e.device_id);
    const underDevice = device !== undefined && device.area_id === e.area_id;
    place(e.area_id, underDevice ? e.device_id : null).entities.push({
      entityId: e.entity_id,
      name: e.friendly_name,
    });
  }
  const counted = (node: AreaNode): AreaNode => ({
    ...node,
    entityCount: node.devices.reduce((n, d) => n + d.entities.length, 0),
  });
  const none = areas.get(null);
  const named = [...areas.values()].filter((entry) => entry !== none).map((entry) => counted(entry.node));
  return none === undefined ? named : [...named, counted(none.node)];
}
