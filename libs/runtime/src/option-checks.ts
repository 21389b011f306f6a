import { describeValue } from './describe-value.js';
import { MAX_DURATION_MS, describeDurationRange, isDurationMs } from './duration.js';

/**
 * How a lib turns a refused option into its own error (its class and stable `code`). `expected` completes
 * "Expected `name` to be …"; `value` is what was given, to be quoted with `describeValue`.
 */
export type InvalidOptionError = (name: string, expected: string, value: unknown) => Error;

/** The checks of option values every lib makes; each returns the value when valid and throws the lib's error. */
export interface OptionChecks {
  /** A safe integer in [min, max]. */
  integer(name: string, value: unknown, min: number, max?: number): number;
  /** Whole milliseconds from `min` to `MAX_DURATION_MS` (one day), so that it always fits a Node timer. */
  duration(name: string, value: unknown, min: number): number;
  /** A number in [0, 1]. */
  ratio(name: string, value: unknown): number;
  /** One of `allowed`. */
  oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T;
  /** A non-empty string. */
  text(name: string, value: unknown): string;
  boolean(name: string, value: unknown): boolean;
  /** A function, returned as given. */
  callback<T>(name: string, value: T): T;
}

/** The {@link OptionChecks} that throw `invalid(…)`. */
export function optionChecks(invalid: InvalidOptionError): OptionChecks {
  return {
    integer(name, value, min, max = Number.MAX_SAFE_INTEGER) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
        const range =
          max === Number.MAX_SAFE_INTEGER ? `>= ${String(min)}` : `from ${String(min)} to ${String(max)}`;
        throw invalid(name, `an integer ${range}`, value);
      }
      return value;
    },
    duration(name, value, min) {
      const range = { min, max: MAX_DURATION_MS };
      if (!isDurationMs(value, range)) throw invalid(name, describeDurationRange(range), value);
      return value;
    },
    ratio(name, value) {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
        throw invalid(name, 'a number from 0 to 1', value);
      }
      return value;
    },
    oneOf(name, value, allowed) {
      if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
        throw invalid(name, `one of ${allowed.join(', ')}`, value);
      }
      return value as (typeof allowed)[number];
    },
    text(name, value) {
      if (typeof value !== 'string' || value === '') throw invalid(name, 'a non-empty string', value);
      return value;
    },
    boolean(name, value) {
      if (typeof value !== 'boolean') throw invalid(name, 'a boolean', value);
      return value;
    },
    callback(name, value) {
      if (typeof value !== 'function') throw invalid(name, 'a function', value);
      return value;
    },
  };
}

/** The message every lib's option error carries: "Expected `name` to be …, got `…` (type)". */
export function invalidOptionMessage(name: string, expected: string, value: unknown): string {
  return `Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`;
}
