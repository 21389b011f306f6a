/**
 * How a rejected option or argument is shown in a validation message: ``Expected `x` to be …, got `0` (number)``.
 * Never use it for the access token: that value must not be echoed anywhere.
 */
export function describeValue(value: unknown): string {
  const shown = typeof value === 'function' ? 'function' : String(value);
  return `\`${shown}\` (${describeType(value)})`;
}

/** `typeof`, except that null says `null`. */
export function describeType(value: unknown): string {
  return value === null ? 'null' : typeof value;
}
