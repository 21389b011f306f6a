/** Why an import stopped: `ERR_IMPORT_ABORTED` (a signal), `ERR_HISTORY_READ` (HA, after retries), `ERR_INFLUX_WRITE`. */
export type ImportErrorCode = 'ERR_IMPORT_ABORTED' | 'ERR_HISTORY_READ' | 'ERR_INFLUX_WRITE';

/** An import that stopped; its checkpoint holds every slice written before. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  readonly code: ImportErrorCode;

  constructor(code: ImportErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }
}
