import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HaEventEnvelope } from '@homeiq/event-normalizer';
import { isoFromMicros, microsFromIso } from '../pipeline/recorder-history.js';
import { createCheckpointFile, type CheckpointFile, type ImportKey } from './checkpoint.js';
import { importHistory, type ImportHistoryOptions } from './import-history.js';

const HOUR_US = 3_600_000_000;
const SINCE_US = Date.parse('2026-12-01T00:00:00Z') * 1000;
const UNTIL_US = SINCE_US + 6 * HOUR_US;
const KEY: ImportKey = { haUrl: 'http://ha', since: '6h', until: null, entityGlobs: [] };

interface Row {
  readonly s: string;
  readonly us: number;
}

/** A recorder answering `history/history_during_period` as HA does (docs/ha-history.md): strict window, start row. */
function fakeRecorder(rows: Readonly<Record<string, readonly Row[]>>, failures = 0) {
  const requests: Record<string, unknown>[] = [];
  let failing = failures;
  return {
    requests,
    sendCommand(type: string, payload: Readonly<Record<string, unknown>> = {}): Promise<unknown> {
      expect(type).toBe('history/history_during_period');
      requests.push(payload);
      if (failing-- > 0) return Promise.reject(new Error('connection lost'));
      const start = microsFromIso(payload['start_time'] as string);
      const end = microsFromIso(payload['end_time'] as string);
      const answer: Record<string, unknown[]> = {};
      for (const id of payload['entity_ids'] as string[]) {
        const all = rows[id] ?? [];
        const out: unknown[] = [];
        const before = all.filter((r) => r.us < start).at(-1);
        if (payload['include_start_time_state'] === true && before !== undefined)
          out.push({ s: before.s, a: { n: before.us }, lu: start / 1e6 });
        for (const r of all)
          if (r.us > start && r.us < end) out.push({ s: r.s, a: { n: r.us }, lu: r.us / 1e6 });
        if (out.length > 0) answer[id] = out;
      }
      return Promise.resolve(answer);
    },
  };
}

/** Rows every 25 minutes from 2 hours before the window to its end, each entity shifted a little. */
function rowsOf(ids: readonly string[]): Record<string, Row[]> {
  return Object.fromEntries(
    ids.map((id, k) => {
      const rows: Row[] = [];
      for (let us = SINCE_US - 2 * HOUR_US + k * 7_000_000; us < UNTIL_US; us += 25 * 60_000_000)
        rows.push({ s: `s${rows.length}`, us });
      return [id, rows];
    }),
  );
}

const IDS = ['sensor.a', 'sensor.b', 'sensor.c', 'switch.d', 'light.e'];

let dir: string;
let checkpoint: CheckpointFile;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeiq-import-'));
  checkpoint = createCheckpointFile(join(dir, 'backfill-checkpoint.json'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function options(
  ha: ImportHistoryOptions['ha'],
  written: string[],
  extra: Partial<ImportHistoryOptions> = {},
) {
  return {
    ha,
    key: KEY,
    sinceUs: SINCE_US,
    untilUs: UNTIL_US,
    listEntities: () => Promise.resolve(IDS),
    normalize: (event: HaEventEnvelope) => JSON.stringify(event),
    write: (lines: readonly string[]) => {
      written.push(...lines);
      return Promise.resolve({ written: lines.length, rejected: 0 });
    },
    checkpoint,
    entitiesPerRequest: 2,
    pauseMs: 0,
    sleep: () => Promise.resolve(),
    ...extra,
  } satisfies ImportHistoryOptions;
}

interface Change {
  entity_id: string;
  old_state: { state: string; last_changed: string } | null;
  new_state: { state: string; last_updated: string };
}
const changes = (lines: readonly string[]) =>
  lines.map((line) => (JSON.parse(line) as { data: Change }).data);

describe('importHistory', () => {
  it('imports every row of the window once, chained across slices, the first after the state at --since', async () => {
    const rows = rowsOf(IDS);
    const written: string[] = [];
    const summary = await importHistory(options(fakeRecorder(rows), written));
    const inWindow = IDS.flatMap((id) => (rows[id] ?? []).filter((r) => r.us > SINCE_US && r.us < UNTIL_US));
    expect(summary).toMatchObject({ rowsWritten: inWindow.length, entities: 5, resumed: false });
    expect(summary.slicesDone).toBe(summary.slices);
    for (const id of IDS) {
      const own = changes(written).filter((c) => c.entity_id === id);
      const recorded = (rows[id] ?? []).filter((r) => r.us > SINCE_US && r.us < UNTIL_US);
      expect(own.map((c) => c.new_state.state)).toEqual(recorded.map((r) => r.s));
      // The first: HA's start-time row gives the state before the window, not when it began (start-states.ts).
      const before = (rows[id] ?? []).filter((r) => r.us < SINCE_US).at(-1);
      expect(own[0]?.old_state).toMatchObject({ state: before?.s, last_changed: isoFromMicros(SINCE_US) });
      for (let i = 1; i < own.length; i++) expect(own[i]?.old_state).toEqual(own[i - 1]?.new_state);
    }
    // A finished import leaves no checkpoint: running it again writes the same points again.
    expect(await checkpoint.load()).toBeUndefined();
  });

  it('gives an entity without a row before the window no previous state', async () => {
    const written: string[] = [];
    const rows = {
      'sensor.a': [
        { s: 'on', us: SINCE_US + 10 },
        { s: 'off', us: SINCE_US + HOUR_US + 5 },
      ],
    };
    await importHistory(
      options(fakeRecorder(rows), written, { listEntities: () => Promise.resolve(['sensor.a']) }),
    );
    expect(changes(written).map((c) => [c.old_state?.state ?? null, c.new_state.state])).toEqual([
      [null, 'on'],
      ['on', 'off'],
    ]);
  });

  it('resumes an interrupted import where it stopped: the same points, none twice', async () => {
    const rows = rowsOf(IDS);
    const reference: string[] = [];
    await importHistory(options(fakeRecorder(rows), reference));

    const written: string[] = [];
    const abort = new AbortController();
    await expect(
      importHistory(
        options(fakeRecorder(rows), written, {
          signal: abort.signal,
          onProgress: (p) => {
            if (p.slicesDone === 8) abort.abort();
          },
        }),
      ),
    ).rejects.toMatchObject({ code: 'ERR_IMPORT_ABORTED' });
    const saved = JSON.parse(await readFile(join(dir, 'backfill-checkpoint.json'), 'utf8')) as {
      chunk: number;
      slice: number;
    };
    expect(saved).toMatchObject({ chunk: 1, slice: 2 });
    const firstPart = written.length;

    const resumes: string[] = [];
    const summary = await importHistory(
      options(fakeRecorder(rows), written, {
        listEntities: () => Promise.reject(new Error('a resumed import keeps its entities')),
        onResume: () => resumes.push('resumed'),
      }),
    );
    expect(resumes).toEqual(['resumed']);
    expect(summary).toMatchObject({ resumed: true, rowsWritten: reference.length });
    expect(summary.rowsThisRun).toBe(reference.length - firstPart);
    expect(written).toEqual(reference);
  });

  it('starts over when the checkpoint is another import, and says so', async () => {
    const rows = rowsOf(IDS);
    const abort = new AbortController();
    await expect(
      importHistory(
        options(fakeRecorder(rows), [], {
          signal: abort.signal,
          onProgress: (p) => {
            if (p.slicesDone === 3) abort.abort();
          },
        }),
      ),
    ).rejects.toMatchObject({ code: 'ERR_IMPORT_ABORTED' });
    const previous: ImportKey[] = [];
    const written: string[] = [];
    const summary = await importHistory(
      options(fakeRecorder(rows), written, {
        key: { ...KEY, entityGlobs: ['sensor.*'] },
        onStartOver: (key) => previous.push(key),
      }),
    );
    expect(previous).toEqual([KEY]);
    expect(summary.resumed).toBe(false);
    expect(summary.rowsWritten).toBe(written.length);
  });

  it('tries a failed read again, then fails with the reason and keeps the checkpoint', async () => {
    const rows = rowsOf(IDS);
    const delays: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      delays.push(ms);
      return Promise.resolve();
    };
    const written: string[] = [];
    await importHistory(options(fakeRecorder(rows, 2), written, { sleep, retryDelayMs: 100 }));
    expect(delays.filter((ms) => ms > 0)).toEqual([100, 200]);

    const ha = fakeRecorder(rows, 99);
    await expect(importHistory(options(ha, [], { sleep, maxAttempts: 3 }))).rejects.toMatchObject({
      code: 'ERR_HISTORY_READ',
      message: expect.stringContaining('failed 3 times: connection lost') as string,
    });
    expect(ha.requests).toHaveLength(3);
  });

  it('counts a dry run without writing or saving a checkpoint', async () => {
    const rows = rowsOf(IDS);
    const saves: unknown[] = [];
    const summary = await importHistory({
      ...options(fakeRecorder(rows), []),
      write: undefined,
      checkpoint: {
        ...checkpoint,
        save: (cp) => {
          saves.push(cp);
          return Promise.resolve();
        },
        remove: () => Promise.resolve(),
      },
    });
    expect(summary.rowsRead).toBeGreaterThan(0);
    expect(summary.rowsWritten).toBe(summary.rowsRead);
    expect(saves).toEqual([]);
  });

  it('reads one request at a time, each slice overlapping the one before by a microsecond', async () => {
    const ha = fakeRecorder(rowsOf(['sensor.a']));
    await importHistory(options(ha, [], { listEntities: () => Promise.resolve(['sensor.a']) }));
    const windows = ha.requests
      .filter((r) => r['include_start_time_state'] === false)
      .map((r) => [microsFromIso(r['start_time'] as string), microsFromIso(r['end_time'] as string)]);
    expect(windows).toHaveLength(6);
    expect(windows[0]).toEqual([SINCE_US, SINCE_US + HOUR_US]);
    expect(windows[1]).toEqual([SINCE_US + HOUR_US - 1, SINCE_US + 2 * HOUR_US]);
  });
});
