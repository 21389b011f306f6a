import { readFileSync } from 'node:fs';
import { describeSystemError, errnoCode } from './startup-error.js';

/**
 * The text of an optional file such as `.env`: `undefined` when there is none, a problem sentence when there is
 * one that cannot be read (a directory of that name, no permission), so that the operator gets a message, not a
 * stack trace.
 */
export function readOptionalFile(
  path: string,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): { readonly text: string | undefined } | { readonly problem: string } {
  try {
    return { text: read(path) };
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { text: undefined };
    return { problem: `${path} exists but cannot be read: ${describeSystemError(error)}` };
  }
}
