import type { Logger } from '../clock.js';

/** A logger that drops everything, for tests that assert through hooks instead. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
