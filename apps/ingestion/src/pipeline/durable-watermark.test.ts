import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createDurableWatermark } from './durable-watermark.js';

const silent = pino({ level: 'silent' });

describe('createDurableWatermark', () => {
  let dir: string;
  let nowMs: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'homeiq-watermark-'));
    nowMs = 1_000_000;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const open = (haUrl = 'http://ha:8123') =>
    createDurableWatermark({ path: join(dir, 'watermark.json'), haUrl, log: silent, now: () => nowMs });

  it('advances to a checkpoint once every line pushed before it has left memory', async () => {
    const watermark = open();
    watermark.pushed(100);
    await watermark.tick(0); // a line pushed now is still in memory: nothing durable yet
    expect(watermark.value).toBe(0);
    nowMs += 1000;
    watermark.pushed(200);
    await watermark.tick(500); // the oldest line in memory was pushed after the first checkpoint
    expect(watermark.value).toBe(100);
    nowMs += 1000;
    await watermark.tick(undefined); // memory empty: everything pushed is written or spooled
    expect(watermark.value).toBe(200);
  });

  it('does not pass a checkpoint taken in the same millisecond as the oldest line in memory', async () => {
    const watermark = open();
    watermark.pushed(100);
    await watermark.tick(0);
    nowMs += 10;
    await watermark.tick(10); // the oldest line was pushed exactly at the first checkpoint
    expect(watermark.value).toBe(0);
  });

  it('is kept on disk for the next run of the same Home Assistant, and ignored for another', async () => {
    const first = open();
    first.pushed(1_700_000_000_123_456);
    await first.tick(undefined);
    expect(JSON.parse(readFileSync(join(dir, 'watermark.json'), 'utf8'))).toMatchObject({
      durableUntilUs: 1_700_000_000_123_456,
      durableUntil: '2023-11-14T22:13:20.123Z',
    });
    expect(open().restored).toBe(1_700_000_000_123_456);
    expect(open('http://other:8123').restored).toBeUndefined();
    writeFileSync(join(dir, 'watermark.json'), '{"format":1,"durableUntilUs":"soon"}');
    expect(open().restored).toBeUndefined();
  });
});
