/**
 * The state changes the row-by-row comparison drives through a real HA: helpers (and the template entities that
 * follow them, and the automation the porch light triggers), demo lights, climates, fans, media players and
 * locks through their services, and edge-case states and attributes through `POST /api/states`.
 */

/** One step: a service call, or a state set by hand. */
export type DriveStep =
  | {
      readonly call: readonly [
        domain: string,
        service: string,
        entityId: string,
        data?: Record<string, unknown>,
      ];
    }
  | { readonly set: readonly [entityId: string, state: string, attributes?: Record<string, unknown>] }
  /** `POST /api/states/<entityId>` with this body text as is (JSON.stringify cannot write `1.0`). */
  | { readonly raw: readonly [entityId: string, body: string] };

const call = (
  domain: string,
  service: string,
  entityId: string,
  data: Record<string, unknown> = {},
): DriveStep => ({
  call: [domain, service, entityId, data],
});
const set = (entityId: string, state: string, attributes: Record<string, unknown> = {}): DriveStep => ({
  set: [entityId, state, attributes],
});

const helpers = (): DriveStep[] => {
  const steps: DriveStep[] = [];
  for (let i = 0; i < 10; i++) {
    steps.push(call('input_boolean', 'toggle', 'input_boolean.porch_light')); // on: the automation sets fan_speed
    steps.push(call('input_boolean', 'toggle', 'input_boolean.away_mode'));
    steps.push(call('input_number', 'set_value', 'input_number.setpoint', { value: 5 + i * 2.5 })); // + template
    steps.push(call('input_number', 'set_value', 'input_number.fan_speed', { value: i * 11 }));
  }
  for (const option of ['away', 'night', 'vacances à la mer', 'home'])
    steps.push(call('input_select', 'select_option', 'input_select.house_mode', { option }));
  for (const value of ['Grüße, 世界 🌍', 'say "hi", a=b', 'back\\slash', 'v1.2.3', '12.5 kWh', '42'])
    steps.push(call('input_text', 'set_value', 'input_text.note', { value }));
  return steps;
};

const lights = (): DriveStep[] => [
  // HS first: HA keeps the integer hue demo's lights start with until a colour is set (a listed difference).
  call('light', 'turn_on', 'light.bed_light', { hs_color: [30, 100], brightness: 180 }),
  call('light', 'turn_on', 'light.bed_light', { brightness: 20 }),
  call('light', 'turn_on', 'light.bed_light', { color_temp_kelvin: 3000 }),
  call('light', 'turn_on', 'light.bed_light', { rgb_color: [255, 128, 0] }),
  call('light', 'turn_off', 'light.bed_light'),
  call('light', 'turn_on', 'light.ceiling_lights', { xy_color: [0.3, 0.4] }),
  call('light', 'turn_on', 'light.ceiling_lights', { hs_color: [200.5, 50], brightness: 255 }),
  call('light', 'turn_off', 'light.ceiling_lights'),
  call('light', 'turn_on', 'light.kitchen_lights', { hs_color: [0, 0] }),
  call('light', 'turn_on', 'light.kitchen_lights', { color_temp_kelvin: 6500 }),
  call('light', 'turn_on', 'light.office_rgbw_lights', { rgbw_color: [255, 0, 128, 64] }),
  call('light', 'turn_on', 'light.office_rgbw_lights', { brightness_pct: 50 }),
  call('light', 'turn_on', 'light.living_room_rgbww_lights', { rgbww_color: [255, 0, 128, 64, 32] }),
  call('light', 'turn_on', 'light.living_room_rgbww_lights', { color_temp_kelvin: 2700 }),
  call('light', 'turn_on', 'light.entrance_color_white_lights', { hs_color: [120, 80] }),
  call('light', 'turn_on', 'light.entrance_color_white_lights', { white: 200 }),
  call('light', 'toggle', 'light.entrance_color_white_lights'),
];

const climates = (): DriveStep[] => [
  call('climate', 'set_temperature', 'climate.hvac', { temperature: 22.5 }),
  call('climate', 'set_temperature', 'climate.hvac', { temperature: 19 }),
  call('climate', 'set_hvac_mode', 'climate.hvac', { hvac_mode: 'heat' }),
  call('climate', 'set_fan_mode', 'climate.hvac', { fan_mode: 'on_low' }),
  call('climate', 'set_swing_mode', 'climate.hvac', { swing_mode: 'auto' }),
  call('climate', 'set_humidity', 'climate.hvac', { humidity: 55 }),
  call('climate', 'set_temperature', 'climate.heatpump', { temperature: 21 }),
  call('climate', 'set_hvac_mode', 'climate.heatpump', { hvac_mode: 'off' }),
  call('climate', 'set_preset_mode', 'climate.ecobee', { preset_mode: 'away' }),
  call('climate', 'set_temperature', 'climate.ecobee', { target_temp_low: 20, target_temp_high: 24.5 }),
  call('climate', 'set_hvac_mode', 'climate.ecobee', { hvac_mode: 'heat_cool' }),
];

const fans = (): DriveStep[] => [
  call('fan', 'turn_on', 'fan.living_room_fan', { percentage: 33 }),
  call('fan', 'set_percentage', 'fan.living_room_fan', { percentage: 66 }),
  call('fan', 'oscillate', 'fan.living_room_fan', { oscillating: true }),
  call('fan', 'set_direction', 'fan.living_room_fan', { direction: 'reverse' }),
  call('fan', 'set_preset_mode', 'fan.living_room_fan', { preset_mode: 'auto' }),
  call('fan', 'turn_off', 'fan.living_room_fan'),
  call('fan', 'turn_on', 'fan.ceiling_fan', { percentage: 50 }),
  call('fan', 'turn_off', 'fan.ceiling_fan'),
  call('fan', 'set_percentage', 'fan.percentage_full_fan', { percentage: 12 }),
  call('fan', 'set_preset_mode', 'fan.preset_only_limited_fan', { preset_mode: 'smart' }),
];

const mediaPlayers = (): DriveStep[] => [
  call('media_player', 'media_pause', 'media_player.living_room'),
  call('media_player', 'media_play', 'media_player.living_room'),
  call('media_player', 'volume_set', 'media_player.living_room', { volume_level: 0.5 }),
  call('media_player', 'volume_mute', 'media_player.living_room', { is_volume_muted: true }),
  call('media_player', 'select_source', 'media_player.lounge_room', { source: 'dvd' }),
  call('media_player', 'media_pause', 'media_player.bedroom'),
  call('media_player', 'media_next_track', 'media_player.walkman'),
  call('media_player', 'volume_set', 'media_player.walkman', { volume_level: 1 }),
  call('media_player', 'select_sound_mode', 'media_player.walkman', { sound_mode: 'Movie' }),
  call('media_player', 'turn_off', 'media_player.kitchen'),
  call('media_player', 'turn_on', 'media_player.kitchen'),
];

const locks = (): DriveStep[] => [
  call('lock', 'unlock', 'lock.front_door'),
  call('lock', 'lock', 'lock.front_door'),
  call('lock', 'lock', 'lock.kitchen_door'),
  call('lock', 'unlock', 'lock.kitchen_door'),
  call('lock', 'open', 'lock.openable_lock'),
  call('lock', 'lock', 'lock.openable_lock'),
  call('lock', 'lock', 'lock.poorly_installed_door'),
];

/** Hand-set states: numbers as HA's float() reads them, the skip rules, and attributes of every JSON type. */
const edgeCases = (): DriveStep[] => {
  const steps: DriveStep[] = [];
  for (const state of [
    '1_000',
    '٤٢',
    ' 42 ',
    '1e3',
    '0x10',
    '21.50',
    '1.5e-7',
    'on',
    'off',
    'home',
    'closed',
  ])
    steps.push(set('sensor.homeiq_numeric', state, { unit_of_measurement: 'kWh' }));
  for (const state of ['unknown', 'unavailable', '', 'ok'])
    steps.push(set('sensor.homeiq_skips', state, { friendly_name: 'Skips' }));
  for (const unit of ['°C', 'm³', 'µg/m³', 'kWh,x', 'a b', 'a=b', '"q"', 'back\\slash', '%'])
    steps.push(set('sensor.homeiq_units', '1', { unit_of_measurement: unit, device_class: 'power' }));
  steps.push(set('sensor.homeiq_units', '2', { device_class: 'energy' }));
  steps.push(set('sensor.homeiq_units', '3', { device_class: 'energy', unit_of_measurement: '' }));
  const attributeSets: Record<string, unknown>[] = [
    { int: 21, float: 21.5, neg: -3, big: 12345678901234, tiny: 0.000015, exp: 1e21 },
    { yes: true, no: false, none: null, empty: '', text: 'eco', digits: 'Sensor 12', version: 'v1.2.3' },
    {
      energy: '12.5 kWh',
      power: '5 W',
      padded: ' 3 ',
      underscore: '1_000',
      exp_text: '1e3',
      inf_text: 'inf',
    },
    { list: ['a', 'b'], nested: { k: [1, 'x', null, true], d: { e: 'f' } }, ints: [3, 4], mixed: [1, 'two'] },
    {
      quote: "it's",
      dquote: 'say "hi"',
      both: `both ' and "`,
      newline: 'a\nb',
      tab: 'a\tb',
      unicode: 'Zürich ½ 温度',
    },
    { value: 3, state: 'x', domain: 'custom', entity_id: 'other', friendly_name: 'Collisions' },
    {
      device_class: 'temperature',
      unit_of_measurement: '°C',
      state_class: 'measurement',
      icon: 'mdi:thermometer',
    },
    { empty_list: [], empty_dict: {}, single: ['only'], deep: [[[['x']]]] },
  ];
  attributeSets.forEach((attributes, i) =>
    steps.push(set('sensor.homeiq_attributes', String(i), attributes)),
  );
  attributeSets.forEach((attributes, i) =>
    steps.push(set('sensor.homeiq_attributes_text', `t${String(i)}`, attributes)),
  );
  // Not like HA on purpose: HA sends `value=nan`/`inf` (InfluxDB refuses the point) and a field named `time`.
  for (const state of ['nan', 'inf', '-inf']) steps.push(set(NON_FINITE_ENTITY, state));
  steps.push(set(NON_FINITE_ENTITY, 'nan', { battery: 50 }));
  steps.push(set('sensor.homeiq_time_attribute', '1', { time: '10:00', other: 'x' }));
  // Backslashes in a measurement, field keys and tag values (HA's v1 client writes each twice).
  steps.push(
    set('sensor.homeiq_backslash', '1', {
      'back\\slash': 'x',
      friendly_name: 'a\\b',
      unit_of_measurement: 'C:\\u',
    }),
  );
  // Attribute-only changes (same state).
  for (let i = 0; i < 5; i++)
    steps.push(set('binary_sensor.homeiq_door', 'on', { device_class: 'door', battery: 90 - i }));
  for (let i = 0; i < 20; i++)
    steps.push(
      set('sensor.homeiq_power', String(100 + i * 10.25), {
        unit_of_measurement: 'W',
        device_class: 'power',
      }),
    );
  return steps;
};

/**
 * Values HA holds with a type JSON cannot carry, set by hand: the listed differences of the comparison.
 * Whole floats inside a list (`[1.0, 2.5]`, `[3.0]`) arrive as `[1, 2.5]` and `[3]` (JSON.parse).
 */
export const WHOLE_FLOATS_ENTITY = 'sensor.homeiq_whole_floats';
/**
 * Non-finite states: HA sends `value=nan` (InfluxDB refuses the point, HA logs it); the service leaves the value
 * out and writes the rest of the point, or nothing when nothing is left (`no_fields`).
 */
export const NON_FINITE_ENTITY = 'sensor.homeiq_non_finite';
/** A state of `-0`: HA writes the float -0.0; the service's line encoder writes `0`. */
export const NEGATIVE_ZERO_ENTITY = 'sensor.homeiq_negative_zero';
const listedDifferences = (): DriveStep[] => [
  {
    raw: [
      WHOLE_FLOATS_ENTITY,
      '{"state": "1", "attributes": {"floats": [1.0, 2.5], "one": [3.0], "ints": [1, 2]}}',
    ],
  },
  set(NEGATIVE_ZERO_ENTITY, '-0'),
];

/** Every step, in order. */
export function parityDrive(): DriveStep[] {
  return [
    ...helpers(),
    ...lights(),
    ...climates(),
    ...fans(),
    ...mediaPlayers(),
    ...locks(),
    ...edgeCases(),
    ...listedDifferences(),
  ];
}
