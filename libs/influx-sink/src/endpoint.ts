import type { ResolvedSinkOptions } from './options.js';

/** Where and how a write goes: path with query, and headers. Built once per sink. */
export interface Endpoint {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** InfluxDB 1.x reads `precision=us` as nanoseconds; its microsecond spelling is `u`. */
const V1_PRECISION = { ns: 'ns', us: 'u', ms: 'ms', s: 's' } as const;

/** InfluxDB 3's precision names (https://docs.influxdata.com/influxdb3/core/api/v3/#operation/PostWriteLP). */
const V3_PRECISION = { ns: 'nanosecond', us: 'microsecond', ms: 'millisecond', s: 'second' } as const;

/** Builds the write endpoint for the configured API version. */
export function writeEndpoint(o: ResolvedSinkOptions): Endpoint {
  const headers = { 'content-type': 'text/plain; charset=utf-8' };
  if (o.apiVersion === 3) {
    const query = new URLSearchParams({
      db: o.database ?? '',
      precision: V3_PRECISION[o.precision],
      accept_partial: 'true',
    });
    return {
      path: `/api/v3/write_lp?${query.toString()}`,
      headers: { ...headers, authorization: `Bearer ${o.token ?? ''}` },
    };
  }
  if (o.apiVersion === 2) {
    const query = new URLSearchParams({ org: o.org, bucket: o.bucket ?? '', precision: o.precision });
    return {
      path: `/api/v2/write?${query.toString()}`,
      headers: { ...headers, authorization: `Token ${o.token ?? ''}` },
    };
  }
  const query = new URLSearchParams({ db: o.database ?? '', precision: V1_PRECISION[o.precision] });
  if (o.retentionPolicy !== undefined) query.set('rp', o.retentionPolicy);
  if (o.username !== undefined) query.set('u', o.username);
  if (o.password !== undefined) query.set('p', o.password);
  return { path: `/write?${query.toString()}`, headers };
}
