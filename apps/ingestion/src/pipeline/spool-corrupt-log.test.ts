import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackpressureQueue } from '@homeiq/backpressure-queue';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../logger.js';
import { createIngestion } from './ingestion.js';

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly file?: string;
  readonly offset?: number;
  readonly points?: number;
  readonly reason?: string;
}

/** A spool left with one damaged record header: the service logs one error line naming the region, and no other. */
describe('a corrupt spool region in the log', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ingestion-spool-log-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is one error line with the file, the offset and the points lost', async () => {
    const spoolDir = join(dataDir, 'spool');
    const queue = createBackpressureQueue({ maxPending: 100, batchSize: 10, spool: { dir: spoolDir } });
    for (let i = 0; i < 10; i++) queue.push(`m v=${i}i ${i}`);
    (await queue.take())?.nack(new Error('InfluxDB down')); // from here every batch is spilled
    for (let i = 10; i < 40; i++) queue.push(`m v=${i}i ${i}`);
    await queue.close({ timeoutMs: 0 });
    const name = readdirSync(spoolDir)
      .filter((f) => f.endsWith('.hqs'))
      .sort()
      .at(-1);
    const path = join(spoolDir, name ?? '');
    const bytes = readFileSync(path);
    const second = 40 + bytes.readUInt32BE(4); // the second record of the newest segment
    bytes[second] = (bytes[second] ?? 0) ^ 1; // one bit of its magic
    writeFileSync(path, bytes);

    const lines: Line[] = [];
    const stream = {
      write(chunk: string) {
        for (const text of chunk.split('\n').filter((t) => t !== '')) lines.push(JSON.parse(text) as Line);
      },
    };
    const result = loadConfig({
      HOME_ASSISTANT_URL: 'ws://127.0.0.1:9',
      HOME_ASSISTANT_TOKEN: 't',
      DATA_DIR: dataDir,
    });
    if (!result.ok) throw new Error(result.problems.join('; '));
    const ingestion = createIngestion(result.config, createLogger(result.config.log, stream));
    try {
      const corrupt = lines.filter((l) => l.msg.startsWith('corrupt spool region skipped'));
      expect(corrupt).toEqual([
        expect.objectContaining({ level: 50, file: path, offset: second, points: 10 }) as Line,
      ]);
      expect(lines.filter((l) => l.reason === 'spool_corrupt')).toEqual([]);
      expect(ingestion.queue.stats().dropped.spool_corrupt).toBe(10);
    } finally {
      await ingestion.close(1_000);
    }
  });
});
