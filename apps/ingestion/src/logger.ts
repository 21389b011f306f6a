import { makeDirectories } from '@homeiq/runtime';
import { dirname } from 'node:path';
import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { IngestionConfig } from './config/load-config.js';

/**
 * Paths pino replaces with `[redacted]` wherever a secret could ride along in a logged object: options, headers,
 * config blocks, errors carrying a request.
 */
export const REDACTED_PATHS = [
  'token',
  'accessToken',
  'access_token',
  'password',
  'apiKey',
  'authorization',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.password',
  '*.apiKey',
  '*.authorization',
  '*.headers.authorization',
  '*.*.token',
  '*.*.password',
  '*.*.apiKey',
];

/**
 * Creates the service logger: JSON lines or readable text, to stdout, a file, or both. The destination is injectable
 * so tests read exactly what would be written.
 */
export function createLogger(config: IngestionConfig['log'], destination?: DestinationStream): Logger {
  const streams: DestinationStream[] = [];
  if (destination) {
    streams.push(format(config, destination));
  } else {
    if (config.output !== 'file') streams.push(format(config, pino.destination({ fd: 1, sync: false })));
    if (config.output !== 'stdout') {
      makeDirectories(dirname(config.file));
      streams.push(format(config, pino.destination({ dest: config.file, sync: false })));
    }
  }
  const options = {
    level: config.level,
    base: { service: 'websocket-ingestion' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const [single] = streams;
  return streams.length === 1 && single
    ? pino(options, single)
    : pino(options, pino.multistream(streams.map((stream) => ({ stream, level: config.level }))));
}

function format(config: IngestionConfig['log'], destination: DestinationStream): DestinationStream {
  if (config.format === 'json') return destination;
  // pino-pretty as a stream (not a worker transport): simple, synchronous in tests, fine at our log volume.
  return PinoPretty({
    destination,
    colorize: false,
    translateTime: 'SYS:standard',
    ignore: 'pid,hostname,service',
  });
}
