import type { InfluxSinkOptions } from '@homeiq/influx-sink';
import type { Logger } from 'pino';
import type { IngestionConfig } from '../config/load-config.js';
import { libLogger } from './lib-logger.js';

/**
 * The sink's options from the configuration, for the service and for the history import alike: where to write,
 * how, and the one log line of a refused line (the sink reports it through `onDrop` and the app words it).
 */
export function influxSinkOptions(
  influx: NonNullable<IngestionConfig['influx']>,
  config: IngestionConfig,
  logger: Logger,
): InfluxSinkOptions {
  const log = logger.child({ component: 'ingestion' });
  return {
    url: influx.url,
    apiVersion: influx.apiVersion,
    ...(influx.token !== undefined && { token: influx.token }),
    org: influx.org,
    ...(influx.apiVersion === 2 ? { bucket: influx.bucket } : { database: influx.database }),
    ...(influx.retentionPolicy !== undefined && { retentionPolicy: influx.retentionPolicy }),
    ...(influx.username !== undefined && { username: influx.username }),
    ...(influx.password !== undefined && { password: influx.password }),
    precision: config.points.precision,
    requestTimeoutMs: influx.timeoutMs,
    maxConcurrentWrites: influx.concurrentWrites,
    ...(influx.gzipLevel === 0 ? { gzipThresholdBytes: -1 } : { gzipLevel: influx.gzipLevel }),
    onDrop: (event) => {
      log.warn(
        { count: event.count, status: event.status, reason: event.message },
        'InfluxDB rejected lines',
      );
    },
    logger: libLogger(logger, 'influx-sink'),
  };
}
