import { parseArgs } from 'node:util';

/** Parsed command line of `ha-sim`. */
export interface CliOptions {
  readonly port: number;
  readonly host: string;
  readonly token: string;
  readonly entities: number;
  readonly devices: number | undefined;
  readonly seed: number;
  readonly ratePerSecond: number;
  readonly haVersion: string;
  readonly perMessageDeflate: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: ha-sim [options]

A simulated Home Assistant WebSocket API (GET /api/websocket).

  --port <n>          TCP port (0 = any free port)            default 8123
  --host <addr>       address to bind                          default 127.0.0.1
  --token <t>         the accepted long-lived access token     default ha-sim-token
  --entities <n>      entities with a state                    default 200
  --devices <n>       devices (the Sun's service device too)   default entities / 4
  --seed <n>          seed: same seed, same home and stream    default 1
  --rate <n>          state_changed events per second, 0=none  default 10
  --ha-version <v>    version reported to clients              default 2025.1.2
  --no-deflate        refuse permessage-deflate (HA accepts it when offered)
  --help              this text`;

function integer(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new TypeError(`Expected --${name} to be an integer >= ${min}, got \`${text}\``);
  return value;
}

/** Parses `argv` (without node and script); throws a TypeError with a clear message on bad input. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      entities: { type: 'string' },
      devices: { type: 'string' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      'ha-version': { type: 'string' },
      'no-deflate': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const rate = values.rate === undefined ? 10 : Number(values.rate);
  if (!Number.isFinite(rate) || rate < 0)
    throw new TypeError(`Expected --rate to be a number >= 0, got \`${String(values.rate)}\``);
  return {
    port: integer('port', values.port, 8123, 0),
    host: values.host ?? '127.0.0.1',
    token: values.token ?? 'ha-sim-token',
    entities: integer('entities', values.entities, 200, 0),
    devices: values.devices === undefined ? undefined : integer('devices', values.devices, 0, 0),
    seed: integer('seed', values.seed, 1, 0),
    ratePerSecond: rate,
    haVersion: values['ha-version'] ?? '2025.1.2',
    perMessageDeflate: values['no-deflate'] !== true,
    help: values.help === true,
  };
}
