import fc from 'fast-check';
import { describeType, describeValue } from './describe-value.js';

describe('describeValue', () => {
  it.each([
    [0, '`0` (number)'],
    ['x', '`"x"` (string)'],
    [null, '`null` (null)'],
    [undefined, '`undefined` (undefined)'],
    [10n, '`10` (bigint)'],
    [Symbol('s'), '`Symbol(s)` (symbol)'],
    [{}, '`[object Object]` (object)'],
    [Object.create(null), '`[object Object]` (object)'],
    [() => 1, '`[object Function]` (function)'],
  ])('quotes %p as %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  it('never throws and always names the type, for any value', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true }),
        (value) => {
          expect(describeValue(value).endsWith(`(${describeType(value)})`)).toBe(true);
        },
      ),
    );
  });
});
