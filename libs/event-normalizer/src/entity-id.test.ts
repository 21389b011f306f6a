import { isValidEntityId, MAX_ENTITY_ID_LENGTH } from './entity-id.js';

// HA core's VALID_ENTITY_ID = ^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$, written as a RegExp to
// cross-check the character scan.
const HA_REGEX = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

describe('isValidEntityId', () => {
  it.each([
    'sensor.living_room_temperature',
    'light.x',
    'a.b',
    'sensor.1',
    '1.2',
    'binary_sensor.front_door_2',
    'sensor.a_b_c',
  ])('accepts %j', (id) => {
    expect(isValidEntityId(id)).toBe(true);
  });

  it.each([
    '',
    'sensor',
    'sensor.',
    '.sensor',
    'sensor..x',
    'sensor.x.y',
    'Sensor.x',
    'sensor.X',
    'sensor.x-y',
    'sensor.x y',
    'sensor._x',
    'sensor.x_',
    '_sensor.x',
    'sensor_.x',
    'sensor.a__b',
    'bin__ary.x',
    'sensor.é',
    'sensor.x\n',
  ])('refuses %j', (id) => {
    expect(isValidEntityId(id)).toBe(false);
  });

  it('enforces HA length limit of 255', () => {
    const longest = 'sensor.' + 'x'.repeat(MAX_ENTITY_ID_LENGTH - 7);
    expect(isValidEntityId(longest)).toBe(true);
    expect(isValidEntityId(longest + 'x')).toBe(false);
  });

  it('agrees with HA regex on every short id over its alphabet', () => {
    const alphabet = ['a', '1', '_', '.', 'Z'];
    const check = (id: string): void => {
      expect(isValidEntityId(id)).toBe(HA_REGEX.test(id));
    };
    const grow = (prefix: string, depth: number): void => {
      check(prefix);
      if (depth === 0) return;
      for (const c of alphabet) grow(prefix + c, depth - 1);
    };
    grow('', 6);
  });
});
