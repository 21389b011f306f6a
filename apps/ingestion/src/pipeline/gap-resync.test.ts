import pino from 'pino';
import type { HaEventEnvelope } from '@homeiq/event-normalizer';
import { createGapResync } from './gap-resync.js';
import type { Intake } from './intake.js';
import { createStateMemory } from './state-memory.js';

const state = (entityId: string, value: string, lastUpdated: string) => ({
  entity_id: entityId,
  state: value,
  attributes: {},
  last_changed: lastUpdated,
  last_updated: lastUpdated,
  context: { id: `ctx-${value}`, parent_id: null, user_id: null },
});
const T = (s: string) => `2025-01-15T10:00:${s}+00:00`;
const silent = pino({ level: 'silent' });

function setup(answers: (readonly unknown[] | Error)[], saved: readonly unknown[] = []) {
  const memory = createStateMemory(saved);
  const ingested: { event: HaEventEnvelope; resync: boolean }[] = [];
  const intake: Intake = {
    ingest: (event, source) => {
      ingested.push({ event, resync: source === 'resync' });
      return true;
    },
    close: () => undefined,
  };
  const ha = {
    sendCommand: () => {
      const answer = answers.shift();
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  const resync = createGapResync({
    ha,
    memory,
    intake,
    restored: saved.length > 0,
    log: silent,
    now: () => Date.parse('2025-01-15T10:01:00Z'),
  });
  return { resync, ingested };
}

describe('createGapResync', () => {
  it('takes the first answer as the baseline, then writes what a gap changed, marked resync', async () => {
    const { resync, ingested } = setup([
      [state('light.a', 'on', T('00'))],
      [state('light.a', 'off', T('20'))],
    ]);
    await resync.onFirstConnection(Date.parse('2025-01-15T10:00:01Z'));
    expect(ingested).toEqual([]);
    await resync.afterGap({
      fromMs: Date.parse('2025-01-15T10:00:10Z'),
      toMs: Date.parse('2025-01-15T10:00:30Z'),
    });
    expect(
      ingested.map(({ event, resync: marked }) => [(event.data as { entity_id: string }).entity_id, marked]),
    ).toEqual([['light.a', true]]);
    expect(resync.stats()).toEqual({ gaps: 1, points: 1, failures: 0, backfill: null });
  });

  it("after a restart, the first connection is a gap against the last run's memory", async () => {
    const { resync, ingested } = setup(
      [[state('light.a', 'off', T('20'))]],
      [state('light.a', 'on', T('00'))],
    );
    await resync.onFirstConnection(Date.parse('2025-01-15T10:00:30Z'));
    expect(ingested).toHaveLength(1);
    expect(resync.stats()).toEqual({ gaps: 1, points: 1, failures: 0, backfill: null });
  });

  it('counts a resync whose get_states failed, and writes nothing for it', async () => {
    const { resync, ingested } = setup([[state('light.a', 'on', T('00'))], new Error('connection lost')]);
    await resync.onFirstConnection(0);
    await resync.afterGap({
      fromMs: Date.parse('2025-01-15T10:00:10Z'),
      toMs: Date.parse('2025-01-15T10:00:30Z'),
    });
    expect(ingested).toEqual([]);
    expect(resync.stats()).toEqual({ gaps: 1, points: 0, failures: 1, backfill: null });
  });
});
