import { Writable } from 'node:stream';
import { createLogger } from './logger.js';

function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

const base = { level: 'info', output: 'stdout', file: 'unused' } as const;

describe('createLogger', () => {
  it('writes structured JSON and redacts secrets at any usual depth', () => {
    const out = capture();
    const logger = createLogger({ ...base, format: 'json' }, out.stream);
    logger.info(
      {
        token: 'a',
        influx: { token: 'b', url: 'http://x' },
        request: { headers: { authorization: 'Bearer c' } },
      },
      'connecting',
    );
    const [line] = out.lines();
    expect(JSON.parse(line!)).toMatchObject({
      level: 30,
      service: 'websocket-ingestion',
      msg: 'connecting',
      token: '[redacted]',
      influx: { token: '[redacted]', url: 'http://x' },
      request: { headers: { authorization: '[redacted]' } },
    });
    expect(line).not.toMatch(/"a"|"b"|Bearer c/);
  });

  it('writes readable text with LOG_FORMAT=text, still redacted', () => {
    const out = capture();
    const logger = createLogger({ ...base, format: 'text' }, out.stream);
    logger.warn({ password: 'hunter2', attempt: 3 }, 'Reconnection attempt 3/∞ in 4.0s');
    const text = out.lines().join('\n');
    expect(text).toContain('WARN');
    expect(text).toContain('Reconnection attempt 3/∞ in 4.0s');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('hunter2');
  });

  it('respects the level', () => {
    const out = capture();
    const logger = createLogger({ ...base, format: 'json', level: 'warn' }, out.stream);
    logger.info('hidden');
    logger.error('shown');
    expect(out.lines().map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['shown']);
  });
});
