/** Stable codes of the start-up failures the service explains (README, Configuration: exit codes). */
export type StartupErrorCode =
  | 'ERR_DATA_DIR'
  | 'ERR_SPOOL_DIR'
  | 'ERR_SPOOL_LOCKED'
  | 'ERR_LOG_FILE'
  | 'ERR_REGISTRY_DB'
  | 'ERR_PORT'
  | 'ERR_STARTUP_TIMEOUT'
  | 'ERR_STARTUP';

/**
 * A start-up step that failed, worded for the operator: what was being done, what went wrong, and what to change.
 * The message is complete on its own: main.ts prints it as one line, without a stack trace.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  readonly code: StartupErrorCode;

  constructor(code: StartupErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The errno code of a Node system error (`ENOENT`, `EACCES`, …), if it is one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const ERRNO_WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a file is in the way where a directory should be',
  EISDIR: 'it is a directory',
  EEXIST: 'it exists and is not a directory',
  ENOENT: 'the file system refused to create it',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/** `permission denied (EACCES)`: a system error in words, with its code for searching. */
export function describeSystemError(error: unknown): string {
  const code = errnoCode(error);
  if (code !== undefined && ERRNO_WORDS[code] !== undefined) return `${ERRNO_WORDS[code]} (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  return code === undefined ? message : `${message} (${code})`;
}
