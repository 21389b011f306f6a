import type { Logger } from 'pino';
import { createLogger } from '../logger.js';
import { registryDropLog } from './lib-logger.js';

function capture(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = {
    write(chunk: string) {
      for (const text of chunk.split('\n').filter((t) => t !== ''))
        lines.push(JSON.parse(text) as Record<string, unknown>);
    },
  };
  const log = createLogger({ level: 'debug', format: 'json', output: 'stdout', file: '' }, stream);
  return { log, lines };
}

describe('registryDropLog', () => {
  it('writes one warning per duplicated id, naming the list, the id and how many were skipped', () => {
    const { log, lines } = capture();
    const onDrop = registryDropLog(log);
    onDrop({
      registry: 'devices',
      reason: 'duplicate_id',
      detail: 'id "d1" listed 3 times; item 0 kept, 2 skipped',
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        registry: 'devices',
        reason: 'duplicate_id',
        msg: 'devices registry from Home Assistant: id "d1" listed 3 times; item 0 kept, 2 skipped',
      }),
    ]);
  });

  it('keeps wrong-typed fields (entry kept, field defaulted) at debug', () => {
    const { log, lines } = capture();
    registryDropLog(log)({
      registry: 'entities',
      reason: 'bad_field',
      detail: 'item 0: `labels` has type string',
    });
    expect(lines.map((l) => l['level'])).toEqual([20]);
  });
});
