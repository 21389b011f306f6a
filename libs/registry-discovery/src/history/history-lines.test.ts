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
  return { state, lines: historyLines(change, createView(state)) };
}

describe('history lines', () => {
  it("writes the original's devices and entities points, escaped, at whole seconds in nanoseconds", () => {
    const { lines } = refreshedHome();
    expect(lines).toContain(
      'devices,device_id=dev1,manufacturer=IKEA,model=TRADFRI\\ bulb,area_id=kitchen,integration=zha name="Kitchen bulb",sw_version="2.3.095",entity_count=1i,removed=false 1700000000000000000',
    );
    expect(lines).toContain(
      'devices,device_id=odd,manufacturer=A\\,\\ B\\=C,model=x\\ "y"\\ z,area_id=unassigned,integration=zha name="Say \\"hi\\"\\\\",sw_version="2.3.095",entity_count=1i,removed=false 1700000000000000000',
    );
    expect(lines).toContain(
      'entities,entity_id=binary_sensor.hue_motion,device_id=dev2,domain=binary_sensor,platform=hue,area_id=bedroom unique_id="uid_binary_sensor.hue_motion",disabled=false,removed=false 1700000000000000000',
    );
    // The device's area when the entity has none; no empty tags.
    expect(lines).toContain(
      'entities,entity_id=sensor.hue_temperature,device_id=dev2,domain=sensor,platform=hue,area_id=living_room unique_id="uid_sensor.hue_temperature",disabled=false,removed=false 1700000000000000000',
    );
    expect(lines).toContain(
      'entities,entity_id=sensor.odd,device_id=odd,domain=sensor,platform=zha unique_id="",disabled=true,removed=false 1700000000000000000',
    );
  });

  it('writes the whole-second timestamp at the precision the writer uses', () => {
    const state = new RegistryState();
    const change = state.replace(parsedLists(smallHome()), 1_700_000_000_999, 'refresh');
    const stamps = (['s', 'ms', 'us', 'ns'] as const).map((p) =>
      historyLines(change, createView(state), p)[0]?.split(' ').at(-1),
    );
    expect(stamps).toEqual(['1700000000', '1700000000000', '1700000000000000', '1700000000000000000']);
  });

  it('writes only changed and removed entries for a change that is not a refresh', () => {
    const { state } = refreshedHome();
    const change = state.remove('devices', 'dev3', 1_700_000_100_000);
    expect(historyLines(change, createView(state))).toEqual([
      'devices,device_id=dev3,manufacturer=IKEA,model=TRADFRI\\ bulb,area_id=unassigned,integration=zha name="Coffee plug",sw_version="2.3.095",entity_count=0i,removed=true 1700000100000000000',
    ]);
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

    it('is accepted by InfluxDB and reads back with the same tags and fields', async () => {
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
          model: 'x "y" z',
          name: 'Say "hi"\\',
          removed: false,
          sw_version: '2.3.095',
        },
      ]);
      const count = await influxd.select('SELECT count(unique_id) FROM entities', 'registry');
      expect(count[0]?.['count']).toBe(6);
    });
  });
});
