import fc from 'fast-check';
import { invalidOptionMessage, optionChecks } from './option-checks.js';

class TestOptionError extends Error {
  readonly code = 'ERR_INVALID_OPTION';
}
const check = optionChecks(
  (name, expected, value) => new TestOptionError(invalidOptionMessage(name, expected, value)),
);

describe('optionChecks', () => {
  it("returns valid values and throws the lib's own error, quoting what was given", () => {
    expect(check.integer('batchSize', 5, 1)).toBe(5);
    expect(() => check.integer('batchSize', 0, 1)).toThrow(
      new TestOptionError('Expected `batchSize` to be an integer >= 1, got `0` (number)'),
    );
    expect(() => check.integer('level', 10, 0, 9)).toThrow('an integer from 0 to 9, got `10` (number)');
    expect(check.duration('timeoutMs', 1000, 1)).toBe(1000);
    expect(() => check.duration('timeoutMs', 86_400_001, 1)).toThrow(
      'Expected `timeoutMs` to be an integer from 1 to 86400000 (ms), got `86400001` (number)',
    );
    expect(check.ratio('jitterRatio', 0.5)).toBe(0.5);
    expect(() => check.ratio('jitterRatio', Number.NaN)).toThrow('a number from 0 to 1, got `NaN` (number)');
    expect(check.oneOf('mode', 'b', ['a', 'b'])).toBe('b');
    expect(() => check.oneOf('mode', 'c', ['a', 'b'])).toThrow('to be one of a, b, got `"c"` (string)');
    expect(() => check.text('url', '')).toThrow('a non-empty string, got `""` (string)');
    expect(() => check.boolean('gzip', 'yes')).toThrow('a boolean');
    expect(() => check.callback('onDrop', 1)).toThrow('a function, got `1` (number)');
  });

  it('throws only its error class, never a bare TypeError, whatever the value', () => {
    const anything = fc.oneof(fc.anything(), fc.constant(Object.create(null) as unknown));
    fc.assert(
      fc.property(anything, (value) => {
        for (const run of [
          () => check.integer('n', value, 0),
          () => check.duration('d', value, 0),
          () => check.ratio('r', value),
          () => check.oneOf('o', value, ['x']),
          () => check.text('t', value),
          () => check.boolean('b', value),
          () => check.callback('c', value),
        ]) {
          try {
            run();
          } catch (error) {
            expect(error).toBeInstanceOf(TestOptionError);
          }
        }
      }),
    );
  });
});
