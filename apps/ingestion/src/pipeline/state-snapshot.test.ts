import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createStateMemory } from './state-memory.js';
import { createStateSnapshotSaver, loadStateSnapshot } from './state-snapshot.js';

const HA = 'http://127.0.0.1:8123';
const T = (s: string) => `2025-01-15T10:00:${s}+00:00`;
const state = (entityId: string, value: string, at: string) => ({
  entity_id: entityId,
  state: value,
  attributes: { friendly_name: 'Lamp', unit_of_measurement: 'W', icon: 'mdi:lamp', long: 'x'.repeat(1000) },
  last_changed: at,
  last_updated: at,
  context: { id: `ctx-${value}`, parent_id: null, user_id: null },
});
const change = (entityId: string, value: string, at: string) => ({
  entity_id: entityId,
  old_state: null,
  new_state: state(entityId, value, at),
});

let dir: string;
let path: string;
let logged: { level: number; msg: string }[];
const log = pino(
  { level: 'info' },
  {
    write(line: string) {
      logged.push(JSON.parse(line) as { level: number; msg: string });
    },
  },
);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'homeiq-snapshot-'));
  path = join(dir, 'state-memory.json');
  logged = [];
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('state snapshots', () => {
  it('round-trips the memory, keeping only the attributes points are tagged with', async () => {
    const memory = createStateMemory();
    memory.reset([state('light.a', 'on', T('00')), state('sensor.b', '5', T('01'))]);
    await createStateSnapshotSaver({ path, haUrl: HA, memory, log }).saveNow();

    const restored = createStateMemory(loadStateSnapshot(path, HA, log));
    expect(restored.size).toBe(2);
    expect(restored.snapshot()[0]).toEqual({
      ...state('light.a', 'on', T('00')),
      attributes: { friendly_name: 'Lamp', unit_of_measurement: 'W' },
    });
    // A restart then resyncs exactly what changed meanwhile.
    const events = restored.resync(
      [state('light.a', 'off', T('30')), state('sensor.b', '5', T('01'))],
      T('40'),
    );
    const data = events.map((e) => e.data as { entity_id: string; new_state: { state: string } });
    expect(data.map((d) => [d.entity_id, d.new_state.state])).toEqual([['light.a', 'off']]);
    expect(logged).toEqual([]);
  });

  it('periodic saves write the memory as it was one interval earlier, and only when it changed', async () => {
    const memory = createStateMemory();
    const saver = createStateSnapshotSaver({ path, haUrl: HA, memory, log });
    memory.observe(change('light.a', 'on', T('00')));
    await saver.tick(); // captures {on}; nothing to write yet
    expect(loadStateSnapshot(path, HA, log)).toEqual([]);
    memory.observe(change('light.a', 'off', T('10')));
    await saver.tick(); // writes {on}, captures {off}
    expect(loadStateSnapshot(path, HA, log)).toMatchObject([{ state: 'on' }]);
    await saver.tick(); // writes {off}
    expect(loadStateSnapshot(path, HA, log)).toMatchObject([{ state: 'off' }]);
    writeFileSync(path, 'sentinel');
    await saver.tick(); // unchanged since: not written again
    expect(readFileSync(path, 'utf8')).toBe('sentinel');
    memory.observe(change('light.a', 'on', T('20')));
    await saver.saveNow(); // shutdown: as it is now
    expect(loadStateSnapshot(path, HA, log)).toMatchObject([{ state: 'on', last_updated: T('20') }]);
  });

  it('ignores a missing file silently, and a corrupt one or another HA with a log line', () => {
    expect(loadStateSnapshot(path, HA, log)).toEqual([]);
    expect(logged).toEqual([]);
    writeFileSync(path, '{"format":1,"states":[');
    expect(loadStateSnapshot(path, HA, log)).toEqual([]);
    writeFileSync(
      path,
      JSON.stringify({ format: 1, haUrl: 'http://other:8123', savedAt: T('00'), states: [] }),
    );
    expect(loadStateSnapshot(path, HA, log)).toEqual([]);
    expect(logged.map((l) => l.msg)).toEqual([
      'state snapshot unreadable; no restart resync',
      'state snapshot of another Home Assistant; not used',
    ]);
  });

  it('skips records a restart could not resync against', () => {
    const memory = createStateMemory([
      state('light.ok', 'on', T('00')),
      { entity_id: 'light.no_state', last_updated: T('00') },
      'junk',
    ]);
    expect(memory.snapshot().map((s) => s.entity_id)).toEqual(['light.ok']);
  });
});
