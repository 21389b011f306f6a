/** What the sink last reported (`@homeiq/influx-sink`'s `lastError`). */
export interface SinkError {
  readonly code: string;
  readonly message: string;
  readonly status?: number | undefined;
}

/**
 * The setting to change for a write InfluxDB refuses for the configuration's sake, in words, from the status and
 * InfluxDB's own message (as real InfluxDB 2.8 and 1.8 word them; https://docs.influxdata.com/influxdb/v2/api/
 * PostWrite): `null` for errors no setting fixes (outages, rate limits).
 */
export function influxFix(error: SinkError | undefined): string | null {
  if (!error) return null;
  const bucket = /bucket "([^"]*)" not found/.exec(error.message)?.[1];
  const org = /organization name "([^"]*)" not found/.exec(error.message)?.[1];
  const database = /database not found: "?([^"]*)"?/.exec(error.message)?.[1];
  switch (error.status) {
    case 401:
      return 'InfluxDB does not accept INFLUXDB_TOKEN: set a valid API token (InfluxDB 1.8: `user:password`)';
    case 403:
      return 'INFLUXDB_TOKEN may not write to INFLUXDB_BUCKET: give the token write access to that bucket';
    case 404:
      if (org !== undefined) return `no organization "${org}" in InfluxDB: fix INFLUXDB_ORG`;
      if (bucket !== undefined)
        return `no bucket "${bucket}" in INFLUXDB_ORG: create it, or fix INFLUXDB_BUCKET`;
      if (database !== undefined)
        return `no database "${database}" in InfluxDB: create it, or fix INFLUXDB_BUCKET / INFLUXDB_DATABASE`;
      return 'InfluxDB has no such org, bucket or database: check INFLUXDB_ORG and INFLUXDB_BUCKET';
    default:
      return null;
  }
}
