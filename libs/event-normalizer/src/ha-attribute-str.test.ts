import fc from 'fast-check';
import { haAttributeStr } from './ha-attribute-str.js';
import { digitTailNumber, floatRepr, pythonStr } from './python-str.js';
import { haLine, NS } from './testing-internal/ha-line.js';

const COLOR_MODES = [
  'brightness',
  'color_temp',
  'hs',
  'onoff',
  'rgb',
  'rgbw',
  'rgbww',
  'unknown',
  'white',
  'xy',
];
const HVAC_MODES = ['auto', 'cool', 'dry', 'fan_only', 'heat', 'heat_cool', 'off'];

/** JSON values as the WebSocket delivers them. */
const jsonValue = fc.jsonValue({ maxDepth: 3 });

describe('haAttributeStr: the Python types HA core gives its attributes', () => {
  // Values HA 2025.1.4's light, climate, automation and media_player entities put in their states (read from a
  // real HA: `str(state.attributes[key])` next to the same attribute in the state_changed event's JSON).
  it.each([
    ['light', 'hs_color', [30, 100], '(30.0, 100.0)'],
    ['light', 'hs_color', [26.812, 68.627], '(26.812, 68.627)'],
    ['light', 'xy_color', [0.591, 0.378], '(0.591, 0.378)'],
    ['light', 'rgb_color', [255, 128, 0], '(255, 128, 0)'],
    ['light', 'rgbw_color', [255, 128, 0, 255], '(255, 128, 0, 255)'],
    ['light', 'rgbww_color', [255, 128, 0, 255, 0], '(255, 128, 0, 255, 0)'],
    [
      'light',
      'supported_color_modes',
      ['color_temp', 'hs'],
      "[<ColorMode.COLOR_TEMP: 'color_temp'>, <ColorMode.HS: 'hs'>]",
    ],
    ['light', 'supported_color_modes', ['rgbww'], "[<ColorMode.RGBWW: 'rgbww'>]"],
    ['climate', 'hvac_modes', ['heat', 'off'], "[<HVACMode.HEAT: 'heat'>, <HVACMode.OFF: 'off'>]"],
    [
      'climate',
      'hvac_modes',
      ['fan_only', 'heat_cool'],
      "[<HVACMode.FAN_ONLY: 'fan_only'>, <HVACMode.HEAT_COOL: 'heat_cool'>]",
    ],
    ['automation', 'last_triggered', '2026-12-04T01:40:26.213444+00:00', '2026-12-04 01:40:26.213444+00:00'],
    ['script', 'last_triggered', '2026-12-04T01:40:26+00:00', '2026-12-04 01:40:26+00:00'],
    [
      'media_player',
      'media_position_updated_at',
      '2026-12-04T01:40:26.5+00:00',
      '2026-12-04T01:40:26.5+00:00',
    ],
    [
      'media_player',
      'media_position_updated_at',
      '2026-12-04T01:40:26.500000+00:00',
      '2026-12-04 01:40:26.500000+00:00',
    ],
    ['schedule', 'next_event', '2026-12-05T07:00:00+00:00', '2026-12-05 07:00:00+00:00'],
    // Same keys elsewhere keep their JSON types: HA core builds them only in these domains.
    ['sensor', 'hs_color', [30, 100], '[30, 100]'],
    ['sensor', 'last_triggered', '2026-12-04T01:40:26+00:00', '2026-12-04T01:40:26+00:00'],
    ['fan', 'preset_modes', ['auto', 'smart'], "['auto', 'smart']"],
    // A value that is not a member stays a plain string; a one-element tuple has its comma.
    ['light', 'supported_color_modes', ['hs', 'custom'], "[<ColorMode.HS: 'hs'>, 'custom']"],
    ['light', 'hs_color', [30], '(30.0,)'],
    ['light', 'hs_color', [], '()'],
  ])('%s %s %j → %s', (domain, key, value, expected) => {
    expect(haAttributeStr(domain, key, value)).toBe(expected);
  });

  it('is pythonStr for every other attribute', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sensor', 'switch', 'fan', 'light', 'climate'),
        fc.string(),
        jsonValue,
        (d, k, v) => {
          fc.pre(
            ![
              'hs_color',
              'xy_color',
              'rgb_color',
              'rgbw_color',
              'rgbww_color',
              'supported_color_modes',
              'hvac_modes',
            ].includes(k),
          );
          expect(haAttributeStr(d, k, v)).toBe(pythonStr(v));
        },
      ),
    );
  });

  it('a colour tuple of floats is what Python prints, and never salvages a number (two or more dots)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 0, max: 360_000 }).map((n) => n / 1000),
          { minLength: 2, maxLength: 3 },
        ),
        (hs) => {
          const text = haAttributeStr('light', 'hs_color', hs);
          expect(text).toBe(`(${hs.map(floatRepr).join(', ')})`);
          expect(digitTailNumber(text ?? '')).toBeUndefined();
        },
      ),
    );
  });

  it('an integer colour tuple is Python ints in parentheses', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 3, maxLength: 5 }), (rgb) => {
        expect(haAttributeStr('light', 'rgb_color', rgb)).toBe(`(${rgb.join(', ')})`);
      }),
    );
  });

  it('an enum list shows each member as Python repr() does', () => {
    fc.assert(
      fc.property(fc.subarray(COLOR_MODES), fc.subarray(HVAC_MODES), (colorModes, hvacModes) => {
        expect(haAttributeStr('light', 'supported_color_modes', colorModes)).toBe(
          `[${colorModes.map((m) => `<ColorMode.${m.toUpperCase()}: '${m}'>`).join(', ')}]`,
        );
        expect(haAttributeStr('climate', 'hvac_modes', hvacModes)).toBe(
          `[${hvacModes.map((m) => `<HVACMode.${m.toUpperCase()}: '${m}'>`).join(', ')}]`,
        );
      }),
    );
  });

  it('a datetime attribute prints with a space, whatever the instant and offset', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }),
        fc.boolean(),
        (date, withMicros) => {
          const iso = date.toISOString().slice(0, 19) + (withMicros ? '.123456' : '') + '+00:00';
          const text = haAttributeStr('automation', 'last_triggered', iso);
          expect(text).toBe(iso.replace('T', ' '));
        },
      ),
    );
  });
});

describe('ha schema: attribute types restored on the line', () => {
  it('a light in HS mode: tuples and enum members; digits are salvaged from the text HA prints (rgb, not hs/xy)', () => {
    const { line } = haLine('light.kitchen', 'on', {
      supported_color_modes: ['color_temp', 'hs'],
      color_mode: 'hs',
      brightness: 180,
      hs_color: [30, 100],
      rgb_color: [255, 128, 0],
      xy_color: [0.591, 0.378],
    });
    expect(line).toBe(
      'light.kitchen,domain=light,entity_id=kitchen brightness=180,color_mode_str="hs",' +
        'hs_color_str="(30.0, 100.0)",rgb_color=2551280,rgb_color_str="(255, 128, 0)",state="on",' +
        `supported_color_modes_str="[<ColorMode.COLOR_TEMP: 'color_temp'>, <ColorMode.HS: 'hs'>]",value=1,` +
        `xy_color_str="(0.591, 0.378)" ${NS}`,
    );
  });

  it('an automation: last_triggered as str(datetime), salvaged to the same digits HA salvages', () => {
    const { line } = haLine('automation.porch', 'on', { last_triggered: '2026-12-04T01:40:26.213444+00:00' });
    expect(line).toBe(
      'automation.porch,domain=automation,entity_id=porch last_triggered=20261204014026.215,' +
        `last_triggered_str="2026-12-04 01:40:26.213444+00:00",state="on",value=1 ${NS}`,
    );
  });

  it('tags_attributes use the same str()', () => {
    const { line } = haLine(
      'light.kitchen',
      'on',
      { rgb_color: [1, 2, 3] },
      { tagsAttributes: ['rgb_color'] },
    );
    expect(line).toBe(
      `light.kitchen,domain=light,entity_id=kitchen,rgb_color=(1\\,\\ 2\\,\\ 3) state="on",value=1 ${NS}`,
    );
  });
});

describe('ha schema: backslashes in names, as the Python client HA wrote with', () => {
  const attributes = { 'back\\slash': 'x', friendly_name: 'a\\b', unit_of_measurement: 'C:\\u' };
  const ha = { tagsAttributes: ['friendly_name'], tags: { path: 'C:\\temp' } };

  it("api_version 1 (HA's default, `influxdb`'s _escape_tag): every backslash of a name twice", () => {
    expect(haLine('sensor.x', '1', attributes, ha).line).toBe(
      `C:\\\\u,domain=sensor,entity_id=x,friendly_name=a\\\\b,path=C:\\\\temp back\\\\slash_str="x",value=1 ${NS}`,
    );
  });

  it('api_version 2 (`influxdb-client`): once', () => {
    expect(haLine('sensor.x', '1', attributes, { ...ha, apiVersion: '2' }).line).toBe(
      `C:\\u,domain=sensor,entity_id=x,friendly_name=a\\b,path=C:\\temp back\\slash_str="x",value=1 ${NS}`,
    );
  });

  it('string field values are not names: their backslashes are escaped once either way', () => {
    expect(haLine('sensor.x', 'a\\b', {}).line).toBe(
      `sensor.x,domain=sensor,entity_id=x state="a\\\\b" ${NS}`,
    );
  });

  it('refuses an api version HA does not have', () => {
    expect(() => haLine('sensor.x', '1', {}, { apiVersion: '3' as '2' })).toThrow(/ha\.apiVersion/);
  });
});
