import type { Logger } from '@homeiq/runtime';
import { ManualClock, settle } from '@homeiq/runtime/testing';
import { createHaClient } from '../create-client.js';
import type { HaClientOptions } from '../options.js';
import type { HaClient } from '../types.js';
import { FakeHa } from './fake-ha.js';
import { HookRecorder, type HookName } from './recorder.js';

/** One log call, as recorded. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: unknown;
}

/** A client wired to a fake HA, a manual clock, a recording logger and recording hooks. */
export interface Harness {
  readonly client: HaClient;
  readonly ha: FakeHa;
  readonly clock: ManualClock;
  readonly logs: LogLine[];
  /** Every hook call, in order. */
  readonly hooks: HookRecorder['calls'];
  /** Hook payloads of one hook. */
  calls(hook: HookName): unknown[];
  /** Starts and plays the handshake out. */
  connect(): Promise<void>;
}

export const TEST_TOKEN = 'secret-token-value-abc123';

/** Builds a {@link Harness}; `overrides` replace any option (including hooks, which then are not recorded). */
export function createHarness(overrides: Partial<HaClientOptions> = {}, random = () => 0): Harness {
  const clock = new ManualClock();
  const ha = new FakeHa({ token: TEST_TOKEN });
  const logs: LogLine[] = [];
  const recorder = new HookRecorder();
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
  const client = createHaClient({
    url: 'http://ha.local:8123',
    accessToken: TEST_TOKEN,
    createSocket: ha.factory,
    clock,
    random,
    logger,
    ...recorder.hooks(),
    ...overrides,
  });
  return {
    client,
    ha,
    clock,
    logs,
    hooks: recorder.calls,
    calls: (hook) => recorder.of(hook),
    connect: async () => {
      client.start();
      await settle();
    },
  };
}
