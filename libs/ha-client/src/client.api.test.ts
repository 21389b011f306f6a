import { silentLogger } from '@homeiq/runtime';
import { startHaSim, type HaSim } from '@homeiq/ha-sim';
import type { HaEntityRegistryEntry, HaState } from './commands.js';
import { createHaClient } from './create-client.js';
import { HaCommandError, isHaClientError, type AnyHaClientError } from './errors.js';
import type { HaClientOptions } from './options.js';
import { createHarness } from './testing-internal/harness.js';
import type { HaClient, HaClientEvents } from './types.js';

/** The typed commands, helpers, error details and connection events, against the simulator over real sockets. */
const FAST: Partial<HaClientOptions> = {
  retryInitialDelayMs: 20,
  retryMaxDelayMs: 300,
  authTimeoutMs: 1_000,
  circuitCooldownMs: 100,
  logger: silentLogger,
};

/** Exhaustive over the union: adding a class without handling it here fails the typecheck. */
function describeFailure(error: AnyHaClientError): string {
  switch (error.code) {
    case 'ERR_COMMAND_FAILED':
      return `${error.commandType}: ${error.haCode} (${error.translationKey ?? '-'})`;
    case 'ERR_AUTH_INVALID':
      return `token: ${error.haMessage}`;
    case 'ERR_COMMAND_TIMEOUT':
      return `timeout ${error.timeoutMs}`;
    case 'ERR_INVALID_OPTION':
    case 'ERR_INVALID_ARGUMENT':
    case 'ERR_CANNOT_CONNECT':
    case 'ERR_CONNECT_TIMEOUT':
    case 'ERR_AUTH_TIMEOUT':
    case 'ERR_PROTOCOL':
    case 'ERR_CONNECTION_LOST':
    case 'ERR_HEARTBEAT_TIMEOUT':
    case 'ERR_NOT_CONNECTED':
    case 'ERR_ABORTED':
    case 'ERR_CLIENT_CLOSED':
    case 'ERR_RETRIES_EXHAUSTED':
      return error.code;
  }
}

describe('typed commands, helpers and connection events', () => {
  let sim: HaSim;
  let client: HaClient | undefined;

  beforeEach(async () => {
    sim = await startHaSim({ home: { entities: 40, seed: 7 } });
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await sim.close();
  });

  function start(overrides: Partial<HaClientOptions> = {}): HaClient {
    client = createHaClient({ url: sim.url, accessToken: sim.token, ...FAST, ...overrides });
    client.start();
    return client;
  }

  it('types the known commands by name and reads states, config, services and every registry', async () => {
    const c = start();
    await c.whenConnected();
    const states: HaState[] = await c.sendCommand('get_states');
    expect(states.length).toBeGreaterThan(0);
    expect(await c.getStates()).toHaveLength(states.length);
    const config = await c.getConfig();
    expect(config.version).toBe('2025.1.2');
    expect(typeof config.time_zone).toBe('string');
    expect(Object.keys((await c.getServices())['light'] ?? {})).toContain('turn_on');
    const entities: HaEntityRegistryEntry[] = await c.sendCommand('config/entity_registry/list');
    const stateIds = new Set(states.map((s) => s.entity_id));
    expect(entities.filter((e) => stateIds.has(e.entity_id)).length).toBeGreaterThan(0);
    const devices = await c.sendCommand('config/device_registry/list');
    const areas = await c.sendCommand('config/area_registry/list');
    const floors = await c.sendCommand('config/floor_registry/list');
    expect(devices.every((d) => typeof d.id === 'string')).toBe(true);
    expect(areas.every((a) => typeof a.area_id === 'string')).toBe(true);
    expect(floors.every((f) => typeof f.floor_id === 'string')).toBe(true);
    // Any other command takes its result type as a type argument.
    const entries = await c.sendCommand<{ entry_id: string; domain: string }[]>('config_entries/get');
    expect(entries.every((e) => typeof e.entry_id === 'string' && typeof e.domain === 'string')).toBe(true);
  });

  it("callService sends HA's call_service shape and resolves with its context", async () => {
    const c = start();
    await c.whenConnected();
    const light = (await c.getStates()).find((s) => s.entity_id.startsWith('light.'));
    expect(light).toBeDefined();
    const changed = new Promise<unknown>((resolve) => {
      c.subscribeEvents('state_changed', (event) => {
        const data = event.data as { entity_id: string; new_state: HaState | null };
        if (data.entity_id === light?.entity_id && data.new_state?.state === 'on') resolve(event.context);
      });
    });
    await c.callService('light', 'turn_off', undefined, { entity_id: light?.entity_id ?? '' });
    const result = await c.callService(
      'light',
      'turn_on',
      { brightness_pct: 40 },
      { entity_id: light?.entity_id ?? '' },
    );
    expect(Object.keys(result)).toEqual(['context']);
    expect(Object.keys(result.context)).toEqual(['id', 'parent_id', 'user_id']);
    expect(result.context.parent_id).toBeNull();
    expect(typeof result.context.id).toBe('string');
    // The state change HA fires carries the call's context.
    expect(await changed).toMatchObject({ id: result.context.id });
  });

  it("a failed command keeps HA's code, message and translation details, and narrows by code", async () => {
    const c = start();
    await c.whenConnected();
    const failure: unknown = await c.callService('light', 'explode').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HaCommandError);
    expect(failure).toMatchObject({
      code: 'ERR_COMMAND_FAILED',
      haCode: 'not_found',
      haMessage: 'Service light.explode not found.',
      commandType: 'call_service',
      translationKey: 'service_not_found',
      translationDomain: 'homeassistant',
      translationPlaceholders: { domain: 'light', service: 'explode' },
      retryable: false,
    });
    expect(isHaClientError(failure) && describeFailure(failure)).toBe(
      'call_service: not_found (service_not_found)',
    );
    // HA's own errors without translation details leave them undefined.
    const unknown: unknown = await c.sendCommand('no/such_command').catch((error: unknown) => error);
    expect(unknown).toMatchObject({ haCode: 'unknown_command', translationKey: undefined });
    await expect(c.callService('', 'x')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('on() reports a reconnect as disconnected, reconnecting, gap, connected, in that order, after the hooks', async () => {
    const order: string[] = [];
    const c = start({
      onGap: () => order.push('hook:gap'),
      onConnected: () => order.push('hook:connected'),
    });
    const names: (keyof HaClientEvents)[] = ['connected', 'disconnected', 'reconnecting', 'gap'];
    for (const name of names) c.on(name, () => order.push(name));
    const removed = jest.fn();
    const off = c.on('connected', removed);
    await c.whenConnected();
    expect(order).toEqual(['hook:connected', 'connected']);
    expect(removed).toHaveBeenCalledTimes(1);
    off();
    const reconnected = new Promise((resolve) => c.on('connected', resolve));
    order.length = 0;
    sim.dropConnections(1012);
    expect(await reconnected).toEqual({ haVersion: '2025.1.2', reconnect: true });
    expect(order).toEqual(['disconnected', 'reconnecting', 'hook:gap', 'gap', 'hook:connected', 'connected']);
    expect(removed).toHaveBeenCalledTimes(1);
  });

  it('terminal fires once on close() and on giving up; a throwing listener is logged and the others still run', async () => {
    const errors: string[] = [];
    const c = start({
      maxRetries: 1,
      logger: { ...silentLogger, error: (message: string) => errors.push(message) },
    });
    await c.whenConnected();
    const terminal: unknown[] = [];
    c.on('terminal', () => {
      throw new Error('listener bug');
    });
    c.on('terminal', (info) => terminal.push(info));
    const gaveUp = new Promise((resolve) => c.on('terminal', resolve));
    await sim.close();
    await gaveUp;
    await expect(c.whenConnected()).rejects.toMatchObject({ code: 'ERR_RETRIES_EXHAUSTED' });
    expect(c.state).toBe('failed');
    expect(terminal).toEqual([
      { state: 'failed', error: expect.objectContaining({ code: 'ERR_RETRIES_EXHAUSTED' }) as unknown },
    ]);
    expect(errors).toEqual(["Listener for 'terminal' threw"]);
    await c.close();
    expect(terminal).toHaveLength(2);
    expect(terminal[1]).toEqual({
      state: 'closed',
      error: expect.objectContaining({ code: 'ERR_CLIENT_CLOSED' }) as unknown,
    });
    sim = await startHaSim({ home: { entities: 1, seed: 1 } }); // for afterEach
  });

  it('on() and off() check their arguments', () => {
    const c = createHaClient({ url: 'http://127.0.0.1:1', accessToken: 't', logger: silentLogger });
    const thrown = (call: () => unknown): unknown => {
      try {
        call();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(thrown(() => c.on('nope' as 'gap', () => undefined))).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message:
        'Expected `event` to be one of connected, disconnected, reconnecting, gap, terminal, stateChange, got `"nope"` (string)',
    });
    expect(thrown(() => c.on('gap', 'x' as never))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(() => {
      c.off('gap', () => undefined);
    }).not.toThrow();
  });
});

describe('callService on the wire', () => {
  it("sends HA's call_service shape, return_response only when asked, and resolves with the response", async () => {
    const h = createHarness();
    await h.connect();
    h.ha.handlers.set('call_service', (message) => {
      const answer =
        message['return_response'] === true
          ? { context: CONTEXT, response: { forecast: [] } }
          : { context: CONTEXT };
      h.ha.last.result(Number(message['id']), answer);
    });
    const plain = h.client.callService(
      'light',
      'turn_on',
      { brightness_pct: 40 },
      { entity_id: ['light.a'] },
    );
    const withResponse = h.client.callService<{ forecast: unknown[] }>(
      'weather',
      'get_forecasts',
      { type: 'daily' },
      { entity_id: 'weather.home' },
      { returnResponse: true },
    );
    await h.clock.advance(0);
    expect(await plain).toEqual({ context: CONTEXT });
    expect((await withResponse).response).toEqual({ forecast: [] });
    const sent = h.ha.last.commands('call_service').map((message) => ({ ...message, id: undefined }));
    expect(sent).toEqual([
      {
        type: 'call_service',
        domain: 'light',
        service: 'turn_on',
        service_data: { brightness_pct: 40 },
        target: { entity_id: ['light.a'] },
      },
      {
        type: 'call_service',
        domain: 'weather',
        service: 'get_forecasts',
        service_data: { type: 'daily' },
        target: { entity_id: 'weather.home' },
        return_response: true,
      },
    ]);
  });

  it('keeps the translation details real HA sends when a service returns no response', async () => {
    const h = createHarness();
    await h.connect();
    // What Home Assistant 2025.1 answered to light.turn_on with return_response: true (checked against real HA).
    h.ha.handlers.set('call_service', (message) => {
      h.ha.last.push({
        id: message['id'],
        type: 'result',
        success: false,
        error: {
          code: 'service_validation_error',
          message:
            "Validation error: An action which does not return responses can't be called with return_response=True",
          translation_key: 'service_does_not_support_response',
          translation_placeholders: { return_response: 'return_response=True' },
          translation_domain: 'homeassistant',
        },
      });
    });
    const failure = h.client
      .callService('light', 'turn_on', undefined, undefined, { returnResponse: true })
      .catch((error: unknown) => error);
    await h.clock.advance(0);
    expect(await failure).toMatchObject({
      code: 'ERR_COMMAND_FAILED',
      haCode: 'service_validation_error',
      translationKey: 'service_does_not_support_response',
      translationPlaceholders: { return_response: 'return_response=True' },
      translationDomain: 'homeassistant',
      retryable: false,
    });
  });
});

const CONTEXT = { id: '01JHKQ5Z3E6N0S2M9W1XQ4T8VB', parent_id: null, user_id: 'u1' };
