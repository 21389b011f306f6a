/** Option checks with messages that name the option, what was expected and what was given. */

function describe(value: unknown): string {
  return `\`${String(value)}\` (${typeof value})`;
}

export function checkInteger(name: string, value: number, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TypeError(`Expected \`${name}\` to be an integer >= ${min}, got ${describe(value)}`);
  }
  return value;
}

export function checkNumber(
  name: string,
  value: number,
  min: number,
  max = Number.POSITIVE_INFINITY,
): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `from ${min} to ${max}`;
    throw new TypeError(`Expected \`${name}\` to be a number ${range}, got ${describe(value)}`);
  }
  return value;
}

export function checkString(name: string, value: string, nonEmpty = true): string {
  if (typeof value !== 'string' || (nonEmpty && value.length === 0)) {
    throw new TypeError(`Expected \`${name}\` to be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

export function checkFunction<T>(name: string, value: T): T {
  if (typeof value !== 'function')
    throw new TypeError(`Expected \`${name}\` to be a function, got ${describe(value)}`);
  return value;
}
