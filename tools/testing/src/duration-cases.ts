import fc from 'fast-check';

/**
 * Durations an option bounded to whole milliseconds in `[min, max]` must refuse: values no Node timer can hold
 * (Node runs a timer above 2^31 − 1 ms after 1 ms: https://nodejs.org/api/timers.html#settimeoutcallback-delay-args),
 * non-finite numbers, anything past `max` or below `min`, and fractions in between.
 */
export function outOfRangeDurationsMs(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(2_147_484_000, 2 ** 31, Number.MAX_SAFE_INTEGER, 1e21, Infinity, -Infinity, Number.NaN),
    fc.integer({ min: max + 1, max: Number.MAX_SAFE_INTEGER }),
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: min - 1 }),
    fc.double({ min, max, noNaN: true }).filter((d) => !Number.isInteger(d)),
  );
}

/** What `create` throws, or undefined when it returns: for matching an error's `code` and message at once. */
export function thrownBy(create: () => unknown): unknown {
  try {
    create();
  } catch (error) {
    return error;
  }
  return undefined;
}
