/**
 * A query parameter without a valid value; `param` names it. The HTTP layer answers 422 with the message, as the
 * data-api's FastAPI did (docs/decisions.md#the-data-api-contract).
 */
export class RegistryQueryError extends Error {
  override readonly name = 'RegistryQueryError';
  /** Stable: match on it, not on the message. */
  readonly code = 'ERR_INVALID_QUERY';
  /** The offending query parameter, e.g. `limit`. */
  readonly param: string;

  constructor(param: string, message: string) {
    super(message);
    this.param = param;
  }
}
