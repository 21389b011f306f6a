import { startInfluxd, type Influxd } from '@homeiq/testing';
import { RegistryState } from '../model/registry-state.js';
import { createView } from '../model/view.js';
import { deviceRaw, entityRaw, smallHome } from '../testing-internal/fixtures.js';
import { parsedLists } from '../testing-internal/parsed.js';
import { historyLines } from './history-lines.js';

function refreshedHome(): { state: RegistryState; lines: string[] } {
  const state = new RegistryState();
  const home = smallHome();
  home.devices.push(
    deviceRaw('odd', { manufacturer: 'A, B=C', model: 'x "y"\nz', name: 'Say "hi"\\', area_id: null }),
  );
  home.entities.push(entityRaw('sensor.odd', { device_id: 'odd', disabled_by: 'user', unique_id: null }));
  const change = state.replace(parsedLists(home), 1_700_000_000_999, 'refresh');
  const { lines, rejected } = historyLines(change, createView(state));
  expect(rejected).toEqual([]);
  return { state, lines };
}

// event-normalizer's formatLine sorts tags and fields by key (as the official client does), writes booleans as
// T/F and a newline as `\n` (stored as those two characters) instead of flattening it to a space; the integer
// field comes last.
describe('history lines', () => {
  it("writes the original's devices and entities points, escaped, at whole seconds in nanoseconds", () => {
    const { lines } = refreshedHome();
    expect(lines).toContain(
      'devices,area_id=kitchen,device_id=dev1,integration=zha,manufacturer=IKEA,model=TRADFRI\\ bulb entity_count=1i,name="Kitchen bulb",removed=F,sw_version="2.3.095" 1700000000000000000',
    );
    expect(lines).toContain(
      'devices,area_id=unassigned,device_id=odd,integration=zha,manufacturer=A\\,\\ B\\=C,model=x\\ "y"\\nz entity_count=1i,name="Say \\"hi\\"\\\\",removed=F,sw_version="2.3.095" 1700000000000000000',
    );
    expect(lines).toContain(
      'entities,area_id=bedroom,device_id=dev2,domain=binary_sensor,entity_id=binary_sensor.hue_motion,platform=hue disabled=F,removed=F,unique_id="uid_binary_sensor.hue_motion" 1700000000000000000',
    );
    // The device's area when the entity has none; no empty tags.
    expect(lines).toContain(
      'entities,area_id=living_room,device_id=dev2,domain=sensor,entity_id=sensor.hue_temperature,platform=hue disabled=F,removed=F,unique_id="uid_sensor.hue_temperature" 1700000000000000000',
    );
    expect(lines).toContain(
      'entities,device_id=odd,domain=sensor,entity_id=sensor.odd,platform=zha disabled=T,removed=F,unique_id="" 1700000000000000000',
    );
  });

  it('writes the whole-second timestamp at the precision the writer uses', () => {
    const state = new RegistryState();
    const change = state.replace(parsedLists(smallHome()), 1_700_000_000_999, 'refresh');
    const stamps = (['s', 'ms', 'us', 'ns'] as const).map((p) =>
      historyLines(change, createView(state), p).lines[0]?.split(' ').at(-1),
    );
    expect(stamps).toEqual(['1700000000', '1700000000000', '1700000000000000', '1700000000000000000']);
  });

  it('writes only changed and removed entries for a change that is not a refresh', () => {
    const { state } = refreshedHome();
    const change = state.remove('devices', 'dev3', 1_700_000_100_000);
    expect(historyLines(change, createView(state))).toEqual({
      lines: [
        'devices,area_id=unassigned,device_id=dev3,integration=zha,manufacturer=IKEA,model=TRADFRI\\ bulb entity_count=0i,name="Coffee plug",removed=T,sw_version="2.3.095" 1700000100000000000',
      ],
      rejected: [],
    });
  });

  it('returns the points formatLine refuses instead of writing them', () => {
    const state = new RegistryState();
    const home = smallHome();
    home.devices.push(deviceRaw('long', { name: 'n'.repeat(70_000) }));
    home.entities.push(entityRaw('sensor.long', { platform: 'p'.repeat(70_000) }));
    const { lines, rejected } = historyLines(
      state.replace(parsedLists(home), 1_700_000_000_000, 'refresh'),
      createView(state),
    );
    expect(rejected).toEqual([
      { measurement: 'devices', id: 'long', reason: 'string_field_too_large', detail: 'field "name"' },
      {
        measurement: 'entities',
        id: 'sensor.long',
        reason: 'series_key_too_long',
        detail: 'measurement "entities"',
      },
    ]);
    expect(lines).toHaveLength(8);
    expect(lines.some((line) => line.includes('long'))).toBe(false);
  });

  describe('against a real influxd', () => {
    let influxd: Influxd;
    beforeAll(async () => {
      influxd = await startInfluxd();
      await influxd.query('CREATE DATABASE registry');
    }, 30_000);
    afterAll(async () => {
      await influxd.dispose();
    });

    it('is accepted by InfluxDB and reads back with the same tags and fields, entity_count an integer', async () => {
      const { lines } = refreshedHome();
      const res = await fetch(`${influxd.url}/write?db=registry&precision=ns`, {
        method: 'POST',
        body: lines.join('\n'),
      });
      expect(res.status).toBe(204);
      const devices = await influxd.select("SELECT * FROM devices WHERE device_id = 'odd'", 'registry');
      expect(devices).toEqual([
        {
          time: '1700000000000000000',
          area_id: 'unassigned',
          device_id: 'odd',
          entity_count: 1,
          integration: 'zha',
          manufacturer: 'A, B=C',
          model: 'x "y"\\nz',
          name: 'Say "hi"\\',
          removed: false,
          sw_version: '2.3.095',
        },
      ]);
      const types = await influxd.query('SHOW FIELD KEYS FROM devices', 'registry');
      expect(JSON.stringify(types)).toContain('["entity_count","integer"]');
      const count = await influxd.select('SELECT count(unique_id) FROM entities', 'registry');
      expect(count[0]?.['count']).toBe(6);
    });
  });
});
