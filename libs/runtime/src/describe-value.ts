/**
 * How a rejected option or argument is quoted in a validation message: `` `0` (number)``, `` `"x"` (string)``,
 * `` `[object Object]` (object)``. It never throws, whatever it is given: `String()` of an object without a
 * prototype (`Object.create(null)`, which some config parsers produce) throws, so objects are shown by their tag.
 * Never pass it a secret such as an access token: the value is echoed.
 */
export function describeValue(value: unknown): string {
  return `\`${shownValue(value)}\` (${describeType(value)})`;
}

/** `typeof`, except that null says `null`. */
export function describeType(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

function shownValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'object':
    case 'function':
      return value === null ? 'null' : Object.prototype.toString.call(value);
    default:
      // number, bigint, boolean, symbol, undefined: String() is total on these.
      return String(value);
  }
}
