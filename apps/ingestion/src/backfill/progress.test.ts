import type { ImportProgress } from './import-history.js';
import { createProgressReporter, formatBar, formatSummary } from './progress.js';

const at = (slicesDone: number, elapsedMs: number): ImportProgress => ({
  entities: 20,
  entitiesDone: slicesDone >= 10 ? 20 : 16 * Math.floor(slicesDone / 5),
  slices: 10,
  slicesDone,
  rowsRead: slicesDone * 1000,
  rowsWritten: slicesDone * 1000,
  rowsRefused: 0,
  rowsThisRun: slicesDone * 1000,
  slicesThisRun: slicesDone,
  elapsedMs,
});

describe('progress', () => {
  it('draws a bar with entities, rows, rate and ETA within the terminal width', () => {
    const bar = formatBar(at(4, 8000), 100);
    expect(bar).toBe('[############------------------]  40% entities 0/20, 4,000 rows, 500 rows/s, ETA 0:12');
    expect(formatBar(at(4, 8000), 40).length).toBeLessThan(40);
  });

  it('on a terminal redraws in place; otherwise writes a plain line every interval, and the last one always', () => {
    let nowMs = 0;
    const tty: string[] = [];
    const plain: string[] = [];
    const a = createProgressReporter({ write: (t) => tty.push(t), tty: true, now: () => nowMs });
    const b = createProgressReporter({
      write: (t) => plain.push(t),
      tty: false,
      intervalMs: 5000,
      now: () => nowMs,
    });
    for (let slice = 0; slice <= 10; slice++) {
      nowMs = slice * 1000;
      a.update(at(slice, nowMs));
      b.update(at(slice, nowMs));
    }
    expect(tty.every((t) => t.startsWith('\r'))).toBe(true);
    expect(plain.map((t) => t.slice(0, 15))).toEqual([
      'entities 0/20, ',
      'entities 16/20,',
      'entities 20/20,',
    ]);
    a.finish({ ...at(10, 10_000), resumed: false, requests: 22, rowsSkipped: 0, sinceUs: 0, untilUs: 1 });
    expect(tty.at(-1)).toBe(
      '\nimport finished: 20 entities, 10,000 rows written, 0 refused by InfluxDB, 0 skipped, in 0:10\n',
    );
    expect(
      formatSummary({
        ...at(10, 3_725_000),
        resumed: true,
        requests: 1,
        rowsSkipped: 2,
        sinceUs: 0,
        untilUs: 1,
      }),
    ).toContain(
      'resumed and finished: 20 entities, 10,000 rows written, 0 refused by InfluxDB, 2 skipped, in 1:02:05',
    );
  });
});
