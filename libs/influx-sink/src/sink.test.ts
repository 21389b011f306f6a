import { ManualClock } from '@homeiq/runtime/testing';
import {
  createInfluxSink,
  type InfluxSinkOptions,
  type InfluxTransport,
  type InfluxWriteError,
} from './index.js';
import type { TransportRequest, TransportResponse } from './transport.js';
import type { RejectEvent } from './types.js';

type Handler = (request: TransportRequest) => TransportResponse | Error;

interface Fake {
  clock: ManualClock;
  requests: TransportRequest[];
  drops: RejectEvent[];
  sink: ReturnType<typeof createInfluxSink>;
}

const ok: TransportResponse = { status: 204, body: '', retryAfter: undefined };
const status = (code: number, body = '', retryAfter?: string): TransportResponse => ({
  status: code,
  body,
  retryAfter,
});

function fake(handler: Handler, options: Partial<InfluxSinkOptions> = {}): Fake {
  const clock = new ManualClock();
  const requests: TransportRequest[] = [];
  const drops: RejectEvent[] = [];
  const transport: InfluxTransport = {
    post: (request) => {
      requests.push(request);
      const result = handler(request);
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
    close: () => undefined,
  };
  const sink = createInfluxSink({
    url: 'http://influx:8086',
    token: 't0k',
    org: 'home',
    bucket: 'ha',
    transport,
    clock,
    random: () => 0,
    onDrop: (e) => drops.push(e),
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    ...options,
  });
  return { clock, requests, drops, sink };
}

async function rejection(promise: Promise<unknown>): Promise<InfluxWriteError> {
  try {
    await promise;
  } catch (error) {
    return error as InfluxWriteError;
  }
  throw new Error('expected a rejection');
}

describe('options and endpoints', () => {
  it.each([
    [{ url: 'influx:8086' }, 'Expected `url` to be an http(s) URL, got `"influx:8086"` (string)'],
    [{ token: undefined }, 'Expected `token` to be a non-empty string, got `undefined` (undefined)'],
    [{ apiVersion: 4 }, 'Expected `apiVersion` to be 1, 2 or 3, got `4` (number)'],
    [{ precision: 'm' }, 'Expected `precision` to be one of ns, us, ms, s, got `"m"` (string)'],
    [{ retryJitterRatio: 2 }, 'Expected `retryJitterRatio` to be a number from 0 to 1, got `2` (number)'],
    [
      { maxConcurrentWrites: 0 },
      'Expected `maxConcurrentWrites` to be an integer from 1 to 16, got `0` (number)',
    ],
    [
      { maxConcurrentWrites: 17 },
      'Expected `maxConcurrentWrites` to be an integer from 1 to 16, got `17` (number)',
    ],
    [{ gzipLevel: 0 }, 'Expected `gzipLevel` to be an integer from 1 to 9, got `0` (number)'],
  ])('rejects %j', (options, message) => {
    expect(() => fake(() => ok, options as Partial<InfluxSinkOptions>)).toThrow(message);
  });

  it('v2: /api/v2/write with org, bucket, precision, a Token header and gzip above 1000 bytes', async () => {
    const { sink, requests } = fake(() => ok, { precision: 'ms' });
    await sink.write(['m v=1 1']);
    expect(requests[0]).toMatchObject({
      path: '/api/v2/write?org=home&bucket=ha&precision=ms',
      headers: { authorization: 'Token t0k' },
      gzipThresholdBytes: 1000,
      body: 'm v=1 1',
    });
  });

  it('v1: /write with db, rp, u, p, 1.x precision names and no gzip', async () => {
    const { sink, requests } = fake(() => ok, {
      apiVersion: 1,
      database: 'home',
      retentionPolicy: 'autogen',
      username: 'u',
      password: 'p w',
      precision: 'us',
    });
    await sink.write(['a v=1 1', 'b v=2 2']);
    expect(requests[0]?.path).toBe('/write?db=home&precision=u&rp=autogen&u=u&p=p+w');
    expect(requests[0]?.headers.authorization).toBeUndefined();
    expect(requests[0]).toMatchObject({ gzipThresholdBytes: -1, body: 'a v=1 1\nb v=2 2' });
  });
});

describe('write', () => {
  it('counts points, batches, bytes and latency of a successful write', async () => {
    const { sink, clock } = fake(() => ok);
    expect(sink.stats().lastWriteAtMs).toBeUndefined();
    expect(await sink.write(['m v=1 1', 'm v=2 2'])).toEqual({ written: 2, rejected: 0 });
    expect(sink.stats()).toMatchObject({
      lastWriteAtMs: clock.now(),
      pointsWritten: 2,
      batchesWritten: 1,
      bytesWritten: 15,
      requests: 1,
      retries: 0,
      circuit: 'closed',
      writeLatencyMs: { count: 1 },
    });
  });

  it('retries 5xx and network errors in place with exponential backoff', async () => {
    const answers: (TransportResponse | Error)[] = [status(503), new Error('ECONNRESET'), ok];
    const { sink, clock, requests } = fake(() => answers.shift() ?? ok, { circuitFailureThreshold: 5 });
    const written = sink.write(['m v=1 1']);
    await clock.advance(999);
    expect(requests).toHaveLength(1);
    await clock.advance(1);
    expect(requests).toHaveLength(2);
    await clock.advance(1999);
    expect(requests).toHaveLength(2);
    await clock.advance(1);
    await expect(written).resolves.toEqual({ written: 1, rejected: 0 });
    expect(sink.stats()).toMatchObject({
      retries: 2,
      requests: 3,
      lastError: { code: 'ERR_INFLUX_UNAVAILABLE' },
    });
  });

  it('honours Retry-After (seconds) on 429 when it is longer than the backoff', async () => {
    const answers = [status(429, '{"code":"too many requests","message":"slow down"}', '3')];
    const { sink, clock, requests } = fake(() => answers.shift() ?? ok);
    const written = sink.write(['m v=1 1']);
    await clock.advance(2999);
    expect(requests).toHaveLength(1);
    await clock.advance(1);
    await expect(written).resolves.toEqual({ written: 1, rejected: 0 });
  });

  it('holds every write in flight for a Retry-After, not only the batch that got it', async () => {
    const answers = [status(429, '', '3')];
    const { sink, clock, requests } = fake(() => answers.shift() ?? ok);
    const limited = sink.write(['m v=1 1']);
    await clock.advance(0);
    // A second write (another loop's batch) starts while the first waits out InfluxDB's Retry-After.
    const other = sink.write(['m v=2 2']);
    await clock.advance(2999);
    expect(requests).toHaveLength(1);
    await clock.advance(1);
    await expect(Promise.all([limited, other])).resolves.toEqual([
      { written: 1, rejected: 0 },
      { written: 1, rejected: 0 },
    ]);
    expect(requests).toHaveLength(3);
  });

  it('a Retry-After beyond retryMaxDelayMs opens the circuit for that long and hands the batch back', async () => {
    const { sink, clock, requests } = fake(() => status(503, '', '120'));
    const error = await rejection(sink.write(['m v=1 1']));
    expect([error.code, error.retryAfterMs, error.retryable]).toEqual([
      'ERR_INFLUX_UNAVAILABLE',
      120_000,
      true,
    ]);
    expect(sink.stats().circuit).toBe('open');
    await clock.advance(119_999);
    expect((await rejection(sink.write(['m v=1 1']))).code).toBe('ERR_CIRCUIT_OPEN');
    expect(requests).toHaveLength(1);
  });

  it('opens the circuit after the threshold, fails fast while open, probes after circuitCooldownMs and closes', async () => {
    let down = true;
    const { sink, clock, requests } = fake(() => (down ? new Error('ECONNREFUSED') : ok), {
      circuitFailureThreshold: 2,
      circuitCooldownMs: 5000,
    });
    const first = sink.write(['a v=1 1']);
    await clock.advance(1000);
    const error = await rejection(first);
    expect([error.code, requests.length, sink.stats().circuit]).toEqual([
      'ERR_INFLUX_UNAVAILABLE',
      2,
      'open',
    ]);
    expect((await rejection(sink.write(['b v=1 1']))).code).toBe('ERR_CIRCUIT_OPEN');
    expect(requests).toHaveLength(2);
    await clock.advance(5000);
    // The probe fails: open again, for twice as long.
    expect((await rejection(sink.write(['c v=1 1']))).code).toBe('ERR_INFLUX_UNAVAILABLE');
    down = false;
    await clock.advance(9999);
    expect((await rejection(sink.write(['c v=1 1']))).code).toBe('ERR_CIRCUIT_OPEN');
    await clock.advance(1);
    await expect(sink.write(['c v=1 1'])).resolves.toEqual({ written: 1, rejected: 0 });
    expect(sink.stats()).toMatchObject({ circuit: 'closed', circuitOpens: 2 });
  });

  it.each([
    [401, 'ERR_INFLUX_AUTH'],
    [403, 'ERR_INFLUX_AUTH'],
    [404, 'ERR_INFLUX_NOT_FOUND'],
  ])(
    '%i: no retry, the batch is kept (decision "keep"), the circuit opens, the error is recorded',
    async (code, name) => {
      const { sink, requests } = fake(() =>
        status(code, '{"code":"unauthorized","message":"unauthorized access"}'),
      );
      const error = await rejection(sink.write(['m v=1 1']));
      expect([error.code, error.decision, error.status, requests.length]).toEqual([name, 'keep', code, 1]);
      expect(sink.stats()).toMatchObject({
        circuit: 'open',
        dropped: { rejected: 0 },
        lastError: { code: name, status: code, message: `InfluxDB answered ${code}: unauthorized access` },
      });
    },
  );

  it('isolates a poison line by splitting: every other line is written, the poison counted with the reason', async () => {
    const written: string[] = [];
    const { sink, drops, requests } = fake((req) => {
      if (req.body.includes('poison')) {
        return status(400, '{"error":"unable to parse \'poison\': missing fields"}');
      }
      written.push(...req.body.split('\n'));
      return ok;
    });
    const lines = Array.from({ length: 16 }, (_, i) => (i === 11 ? 'poison' : `m v=${i} ${i}`));
    expect(await sink.write(lines)).toEqual({ written: 15, rejected: 1 });
    expect(written.sort()).toEqual(lines.filter((l) => l !== 'poison').sort());
    expect(drops).toEqual([
      {
        reason: 'rejected',
        cause: 'unparsable',
        count: 1,
        lines: ['poison'],
        status: 400,
        message: "unable to parse 'poison': missing fields",
      },
    ]);
    expect(requests.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(16)));
    expect(sink.stats()).toMatchObject({
      rejectedLines: 1,
      lastRejection: { line: 'poison' },
      circuit: 'closed',
    });
  });
});

describe('loops over a source', () => {
  it('acks written batches, says when it retries one, nacks the ones that must be kept; close closes the source first', async () => {
    const answers: TransportResponse[] = [ok, status(503), status(401)];
    const settled: string[] = [];
    const batches = [['a v=1 1'], ['b v=1 1']];
    let closedWith: unknown;
    const source = {
      take: () => {
        const lines = batches.shift();
        return Promise.resolve(
          lines && {
            lines,
            ack: () => settled.push(`ack ${lines[0] ?? ''}`),
            nack: (reason?: unknown) =>
              settled.push(`nack ${lines[0] ?? ''} ${(reason as InfluxWriteError).code}`),
            retrying: (reason?: unknown) =>
              settled.push(`retrying ${lines[0] ?? ''} ${(reason as InfluxWriteError).code}`),
          },
        );
      },
      close: (options?: { timeoutMs?: number }) => {
        closedWith = options;
        return Promise.resolve();
      },
    };
    const { sink, clock } = fake(() => answers.shift() ?? ok, { source });
    await clock.advance(0);
    expect(settled).toEqual(['ack a v=1 1', 'retrying b v=1 1 ERR_INFLUX_UNAVAILABLE']);
    await clock.advance(2000);
    expect(settled).toEqual([
      'ack a v=1 1',
      'retrying b v=1 1 ERR_INFLUX_UNAVAILABLE',
      'nack b v=1 1 ERR_INFLUX_AUTH',
    ]);
    expect(sink.stats().batchesReturned).toBe(1);
    await sink.close({ timeoutMs: 1234 });
    expect(closedWith).toEqual({ timeoutMs: 1234 });
  });
});

describe('one owner per log line', () => {
  /** A sink whose every request gets `answer`, logging into `lines`, with the hooks in `hooks` only. */
  const sinkLogging = (
    answer: TransportResponse,
    lines: string[],
    hooks: Pick<InfluxSinkOptions, 'onDrop' | 'onError'> = {},
  ): ReturnType<typeof createInfluxSink> => {
    const record = (message: string): void => {
      lines.push(message);
    };
    return createInfluxSink({
      url: 'http://influx:8086',
      token: 't0k',
      bucket: 'ha',
      transport: { post: () => Promise.resolve(answer), close: () => undefined },
      clock: new ManualClock(),
      logger: { debug: record, info: record, warn: record, error: record },
      ...hooks,
    });
  };
  const poison = status(400, '{"message":"unable to parse"}');
  const denied = status(401, '{"message":"unauthorized access"}');

  it('a refused line or a kept batch is logged by the sink only when no hook reports it', async () => {
    const bare: string[] = [];
    await sinkLogging(poison, bare).write(['poison']);
    await rejection(sinkLogging(denied, bare).write(['m v=1 1']));
    expect(bare).toEqual([
      'InfluxDB rejected a line; it is dropped and counted',
      'InfluxDB refused the write (ERR_INFLUX_AUTH); the data is kept and will be retried',
      'InfluxDB circuit open: writes paused',
    ]);

    const hooked: string[] = [];
    const reported: unknown[] = [];
    const hooks = {
      onDrop: (e: RejectEvent) => reported.push(e),
      onError: (e: InfluxWriteError) => reported.push(e),
    };
    await sinkLogging(poison, hooked, hooks).write(['poison']);
    await rejection(sinkLogging(denied, hooked, hooks).write(['m v=1 1']));
    expect(reported).toHaveLength(2);
    // The circuit has no hook: its opening is still the sink's to log.
    expect(hooked).toEqual(['InfluxDB circuit open: writes paused']);
  });
});
