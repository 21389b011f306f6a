import { configEntryRaw, deviceRaw, entityRaw, smallHome } from '../testing-internal/fixtures.js';
import { parsedLists } from '../testing-internal/parsed.js';
import { RegistryState } from './registry-state.js';

const ids = (records: readonly { raw: Record<string, unknown> }[]): unknown[] =>
  records.map((r) => r.raw['entity_id'] ?? r.raw['id'] ?? r.raw['area_id'] ?? r.raw['floor_id']);

describe('RegistryState', () => {
  it('swaps in complete lists and reports added, changed and removed entries', () => {
    const state = new RegistryState();
    const home = smallHome();
    const first = state.replace(parsedLists(home), 1000, 'refresh');
    expect(first.listed).toEqual(['floors', 'areas', 'devices', 'entities']);
    expect(ids(first.entities.upserted)).toHaveLength(5);
    expect(first.entities.removed).toEqual([]);

    home.entities = home.entities.filter((e) => e['entity_id'] !== 'sun.sun');
    home.entities[0] = { ...home.entities[0], area_id: 'bedroom' };
    home.entities.push(entityRaw('light.new'));
    const second = state.replace(parsedLists({ entities: home.entities }), 2000, 'refetch');
    expect(second.listed).toEqual(['entities']);
    expect(ids(second.entities.upserted)).toEqual(['light.kitchen_bulb', 'light.new']);
    expect(ids(second.entities.removed)).toEqual(['sun.sun']);
    expect(second.devices).toEqual({ upserted: [], removed: [] });
    expect(state.entities.get('sun.sun')).toBeUndefined();
    expect(state.entities.entry('light.new')?.seenAtMs).toBe(2000);
  });

  it('names each device integration from its config entry, and updates devices when config entries change', () => {
    const state = new RegistryState();
    state.replace(
      parsedLists({ devices: [deviceRaw('d1')], configEntries: [configEntryRaw('entry_zha', 'zha')] }),
      1,
      'refresh',
    );
    expect(state.devices.get('d1')?.integration).toBe('zha');

    const renamed = state.replace(
      parsedLists({ configEntries: [configEntryRaw('entry_zha', 'zigbee_other')] }),
      2,
      'refetch',
    );
    expect(renamed.devices.upserted.map((d) => d.integration)).toEqual(['zigbee_other']);

    // Same devices and entries again: nothing changed.
    const again = state.replace(
      parsedLists({
        devices: [deviceRaw('d1')],
        configEntries: [configEntryRaw('entry_zha', 'zigbee_other')],
      }),
      3,
      'refetch',
    );
    expect(again.devices).toEqual({ upserted: [], removed: [] });
  });

  it('removes one entry at once, bumping the version', () => {
    const state = new RegistryState();
    state.replace(parsedLists(smallHome()), 1, 'refresh');
    const before = state.version;
    const change = state.remove('devices', 'dev2', 5);
    expect(change.reason).toBe('event');
    expect(change.devices.removed.map((d) => d.deviceId)).toEqual(['dev2']);
    expect(state.devices.get('dev2')).toBeUndefined();
    expect(state.version).toBeGreaterThan(before);
    expect(state.remove('devices', 'dev2', 6).devices.removed).toEqual([]);
  });

  it('moves an entity to its new entity_id on a rename, keeping its other fields', () => {
    const state = new RegistryState();
    state.replace(parsedLists(smallHome()), 1, 'refresh');
    const change = state.renameEntity('switch.coffee', 'switch.espresso', 9);
    expect(ids(change.entities.removed)).toEqual(['switch.coffee']);
    expect(change.entities.upserted[0]).toMatchObject({
      entityId: 'switch.espresso',
      domain: 'switch',
      deviceId: 'dev3',
      labels: ['kitchen_stuff'],
    });
    expect(change.entities.upserted[0]?.raw['entity_id']).toBe('switch.espresso');
    expect(state.entities.get('switch.coffee')).toBeUndefined();
    expect(state.entities.entry('switch.espresso')?.seenAtMs).toBe(1);
    // Renaming onto an existing id, or from an unknown one, changes nothing.
    expect(state.renameEntity('sun.sun', 'switch.espresso', 10).entities.upserted).toEqual([]);
    expect(state.renameEntity('light.unknown', 'light.x', 10).entities.upserted).toEqual([]);
  });
});
