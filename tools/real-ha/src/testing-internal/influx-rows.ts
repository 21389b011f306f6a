/**
 * Every row of an InfluxDB database (1.x, or 2.x through a DBRP mapping) in a time window, as InfluxDB holds it (measurement, tag set, time, each
 * field with its stored type), and a row-by-row comparison of two databases.
 */
import type { InfluxQueryResult } from '@homeiq/testing';

/** Runs an InfluxQL statement on a database (InfluxDB 1.x `/query`, or 2.x's through a DBRP mapping). */
export type InfluxQl = (q: string, db: string) => Promise<InfluxQueryResult>;

/** One stored point. */
export interface StoredRow {
  readonly measurement: string;
  /** Non-empty tags only (InfluxDB shows a tag a series lacks as ""). */
  readonly tags: Readonly<Record<string, string>>;
  /** Epoch ns, exact. */
  readonly time: string;
  /** Non-null fields: value and InfluxDB's type (`float`, `integer`, `string`, `boolean`). */
  readonly fields: Readonly<Record<string, { readonly value: unknown; readonly type: string }>>;
}

/** The identity of a row: measurement, tag set, time. */
export const rowKey = (row: StoredRow): string =>
  JSON.stringify([row.measurement, Object.entries(row.tags).sort(), row.time]);

const quoteIdent = (name: string): string => `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Every row of `db` with `fromNs <= time <= toNs`. */
export async function storedRows(
  query: InfluxQl,
  db: string,
  fromNs: bigint,
  toNs: bigint,
): Promise<StoredRow[]> {
  const types = new Map<string, Map<string, string>>();
  for (const series of (await query('SHOW FIELD KEYS', db)).results[0]?.series ?? []) {
    types.set(series.name, new Map(series.values.map((v) => [String(v[0]), String(v[1])])));
  }
  const rows: StoredRow[] = [];
  for (const measurement of types.keys()) {
    const result = await query(
      `SELECT * FROM ${quoteIdent(measurement)} WHERE time >= ${String(fromNs)} AND time <= ${String(toNs)} GROUP BY *`,
      db,
    );
    for (const series of result.results[0]?.series ?? []) {
      const tags = Object.fromEntries(Object.entries(series.tags ?? {}).filter(([, v]) => v !== ''));
      for (const values of series.values) {
        const fields: Record<string, { value: unknown; type: string }> = {};
        series.columns.forEach((column, i) => {
          if (i === 0 || values[i] === null) return;
          fields[column] = { value: values[i], type: types.get(measurement)?.get(column) ?? '?' };
        });
        rows.push({ measurement, tags, time: String(values[0]), fields });
      }
    }
  }
  return rows.sort((a, b) =>
    a.time < b.time ? -1 : a.time > b.time ? 1 : rowKey(a).localeCompare(rowKey(b)),
  );
}

/** How two databases differ, row by row. */
export interface RowComparison {
  readonly identical: number;
  /** Rows only the first database has. */
  readonly onlyFirst: readonly StoredRow[];
  readonly onlySecond: readonly StoredRow[];
  /** Rows both have whose fields differ: each field as first / second holds it (undefined when absent). */
  readonly differing: readonly {
    readonly key: string;
    readonly fields: Readonly<Record<string, readonly [unknown, unknown]>>;
  }[];
}

const shown = (value: unknown): string => (Object.is(value, -0) ? '-0' : String(value));

/** Compares `first` and `second` row by row: same key, then the same fields with the same values and types. */
export function compareRows(first: readonly StoredRow[], second: readonly StoredRow[]): RowComparison {
  const byKey = new Map(second.map((row) => [rowKey(row), row]));
  const onlyFirst: StoredRow[] = [];
  const differing: { key: string; fields: Record<string, readonly [unknown, unknown]> }[] = [];
  let identical = 0;
  for (const row of first) {
    const key = rowKey(row);
    const other = byKey.get(key);
    if (other === undefined) {
      onlyFirst.push(row);
      continue;
    }
    byKey.delete(key);
    const fields: Record<string, readonly [unknown, unknown]> = {};
    for (const name of new Set([...Object.keys(row.fields), ...Object.keys(other.fields)])) {
      const a = row.fields[name];
      const b = other.fields[name];
      if (a?.type !== b?.type || !Object.is(a?.value, b?.value))
        fields[name] = [a && `${shown(a.value)} (${a.type})`, b && `${shown(b.value)} (${b.type})`];
    }
    if (Object.keys(fields).length === 0) identical++;
    else differing.push({ key, fields });
  }
  return { identical, onlyFirst, onlySecond: [...byKey.values()], differing };
}
