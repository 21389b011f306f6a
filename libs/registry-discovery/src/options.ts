import { MAX_DURATION_MS, describeDurationRange, isDurationMs } from '@homeiq/runtime';
import { RegistryDiscoveryError } from './errors.js';

/** `42 (number)`, `"x" (string)`: how a bad option value is shown in messages. */
function shown(value: unknown): string {
  return `\`${typeof value === 'string' ? JSON.stringify(value) : String(value)}\` (${typeof value})`;
}

/** Throws ERR_INVALID_OPTION unless `value` is an integer >= `min`; returns it. */
export function expectInteger(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RegistryDiscoveryError(
      'ERR_INVALID_OPTION',
      `Expected \`${name}\` to be an integer >= ${min}, got ${shown(value)}`,
      { retryable: false },
    );
  }
  return value;
}

/**
 * Throws ERR_INVALID_OPTION unless `value` is a whole number of milliseconds from `min` to one day
 * (`MAX_DURATION_MS` of `@homeiq/runtime`); returns it. Node fires a longer timer after 1 ms.
 */
export function expectDuration(name: string, value: unknown, min: number): number {
  const range = { min, max: MAX_DURATION_MS };
  if (!isDurationMs(value, range)) {
    throw new RegistryDiscoveryError(
      'ERR_INVALID_OPTION',
      `Expected \`${name}\` to be ${describeDurationRange(range)}, got ${shown(value)}`,
      { retryable: false },
    );
  }
  return value;
}

/** Throws ERR_INVALID_OPTION unless `value` is a non-empty string; returns it. */
export function expectString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new RegistryDiscoveryError(
      'ERR_INVALID_OPTION',
      `Expected \`${name}\` to be a non-empty string, got ${shown(value)}`,
      { retryable: false },
    );
  }
  return value;
}

/** Throws ERR_INVALID_OPTION unless `value` is a function. */
export function expectFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new RegistryDiscoveryError(
      'ERR_INVALID_OPTION',
      `Expected \`${name}\` to be a function, got ${shown(value)}`,
      { retryable: false },
    );
  }
}

/** Throws ERR_INVALID_OPTION unless `value` is an object with the named methods. */
export function expectMethods(name: string, value: unknown, methods: readonly string[]): void {
  const ok =
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
  if (!ok) {
    throw new RegistryDiscoveryError(
      'ERR_INVALID_OPTION',
      `Expected \`${name}\` to be an object with ${methods.map((m) => `\`${m}()\``).join(', ')}, got ${shown(value)}`,
      { retryable: false },
    );
  }
}
