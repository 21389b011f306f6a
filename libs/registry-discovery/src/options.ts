import { invalidOptionMessage, optionChecks } from '@homeiq/runtime';
import { RegistryDiscoveryError } from './errors.js';

/** An option that was refused: ERR_INVALID_OPTION, never retryable. */
export function invalidOption(name: string, expected: string, value: unknown): RegistryDiscoveryError {
  return new RegistryDiscoveryError('ERR_INVALID_OPTION', invalidOptionMessage(name, expected, value), {
    retryable: false,
  });
}

/** The runtime's option checks, throwing this lib's {@link RegistryDiscoveryError}. */
export const check = optionChecks(invalidOption);

/**
 * Throws ERR_INVALID_OPTION unless `value` is an object with the named methods (the runtime checks only single
 * functions; a connection, store or clock is checked by its shape).
 */
export function expectMethods(name: string, value: unknown, methods: readonly string[]): void {
  const ok =
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
  if (!ok) {
    throw invalidOption(name, `an object with ${methods.map((m) => `\`${m}()\``).join(', ')}`, value);
  }
}
