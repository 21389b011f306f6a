import type { Influxd2 } from '@homeiq/testing';

/** Every time Flux can hold (its range is bounded at both ends; the simulator's clock may run ahead of now()). */
const ALL_TIME = 'start: 1970-01-01T00:00:00Z, stop: 2262-01-01T00:00:00Z';

/** A stored point as the scenarios compare it: its entity, its exact time, and the fields that tell its origin. */
export interface StoredRow {
  /** Epoch nanoseconds, exact (a string: it exceeds 2^53). */
  readonly time: string;
  readonly entity_id: string;
  readonly state: string;
  /** A gap's final state where the recorder could not fill it (gap-resync.ts). */
  readonly resync: boolean;
  /** A change read back from HA's recorder to fill a gap (gap-backfill.ts). */
  readonly backfill: boolean;
}

/**
 * Reads what InfluxDB 2.8 stored with Flux (https://docs.influxdata.com/flux/v0/stdlib/universe/pivot/): one row per
 * point (series and time) of `measurement`, in time order, its time as epoch ns. Two series holding the same
 * entity and time come back as two rows, so a duplicate is visible.
 */
export async function storedRows(
  influx: Influxd2,
  bucket: string,
  measurement: string,
): Promise<StoredRow[]> {
  const rows = await influx.flux(`from(bucket: ${JSON.stringify(bucket)})
  |> range(${ALL_TIME})
  |> filter(fn: (r) => r._measurement == ${JSON.stringify(measurement)} and (r._field == "state" or r._field == "resync" or r._field == "backfill"))
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> group()
  |> sort(columns: ["_time"])
  |> map(fn: (r) => ({ r with ns: string(v: int(v: r._time)) }))
  |> keep(columns: ["ns", "entity_id", "state", "resync", "backfill"])`);
  return rows.map((r) => ({
    time: r['ns'] ?? '',
    entity_id: r['entity_id'] ?? '',
    state: r['state'] ?? '',
    resync: r['resync'] === 'true',
    backfill: r['backfill'] === 'true',
  }));
}

/** How many points of `measurement` hold a `state` field. */
export async function storedCount(influx: Influxd2, bucket: string, measurement: string): Promise<number> {
  const rows = await influx.flux(`from(bucket: ${JSON.stringify(bucket)})
  |> range(${ALL_TIME})
  |> filter(fn: (r) => r._measurement == ${JSON.stringify(measurement)} and r._field == "state")
  |> group()
  |> count()`);
  return Number(rows[0]?.['_value'] ?? 0);
}
