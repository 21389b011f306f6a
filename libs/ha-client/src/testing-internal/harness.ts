import type { Logger } from '../clock.js';
import { createHaClient } from '../create-client.js';
import type { HaClientOptions } from '../options.js';
import type { HaClient } from '../types.js';
import { FakeHa } from './fake-ha.js';
import { flush, ManualClock } from './manual-clock.js';

/** One log call, as recorded. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: unknown;
}

/** Hook calls, by hook name, in order. */
export type HookLog = Record<string, unknown[]>;

/** A client wired to a fake HA, a manual clock, a recording logger and recording hooks. */
export interface Harness {
  readonly client: HaClient;
  readonly ha: FakeHa;
  readonly clock: ManualClock;
  readonly logs: LogLine[];
  readonly hooks: HookLog;
  /** Hook payloads of one hook. */
  calls(hook: string): unknown[];
  /** Starts and plays the handshake out. */
  connect(): Promise<void>;
}

export const TEST_TOKEN = 'secret-token-value-abc123';

const HOOKS = [
  'onStateChange',
  'onConnected',
  'onDisconnected',
  'onReconnectAttempt',
  'onGap',
  'onResubscribeFailed',
  'onHaLifecycle',
  'onDrop',
] as const;

/** Builds a {@link Harness}; `overrides` replace any option (including hooks, which then are not recorded). */
export function createHarness(overrides: Partial<HaClientOptions> = {}, random = () => 0): Harness {
  const clock = new ManualClock();
  const ha = new FakeHa({ token: TEST_TOKEN });
  const logs: LogLine[] = [];
  const hooks: HookLog = {};
  const record =
    (level: LogLine['level']) =>
    (message: string, fields?: unknown): void => {
      logs.push({ level, message, fields });
    };
  const logger: Logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  const hookOptions: Partial<HaClientOptions> = {};
  for (const name of HOOKS) {
    hooks[name] = [];
    Object.assign(hookOptions, {
      [name]: (payload: unknown) => {
        hooks[name]?.push(payload);
      },
    });
  }
  const client = createHaClient({
    url: 'http://ha.local:8123',
    accessToken: TEST_TOKEN,
    createSocket: ha.factory,
    clock,
    random,
    logger,
    ...hookOptions,
    ...overrides,
  });
  return {
    client,
    ha,
    clock,
    logs,
    hooks,
    calls: (hook) => hooks[hook] ?? [],
    connect: async () => {
      client.start();
      await flush();
    },
  };
}
