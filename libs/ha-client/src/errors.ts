/**
 * Typed errors with stable string codes. Messages never contain the access token: nothing that builds an error
 * here ever receives it.
 */

import { invalidOptionMessage, optionChecks } from '@homeiq/runtime';

/** Every code a {@link HaClientError} can carry. Stable: match on these, not on messages. */
export type HaClientErrorCode =
  | 'ERR_INVALID_OPTION'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_CANNOT_CONNECT'
  | 'ERR_CONNECT_TIMEOUT'
  | 'ERR_AUTH_TIMEOUT'
  | 'ERR_AUTH_INVALID'
  | 'ERR_PROTOCOL'
  | 'ERR_CONNECTION_LOST'
  | 'ERR_HEARTBEAT_TIMEOUT'
  | 'ERR_NOT_CONNECTED'
  | 'ERR_COMMAND_FAILED'
  | 'ERR_COMMAND_TIMEOUT'
  | 'ERR_ABORTED'
  | 'ERR_CLIENT_CLOSED'
  | 'ERR_RETRIES_EXHAUSTED';

interface ErrorDetails {
  readonly retryable: boolean;
  readonly cause?: unknown;
}

/** The codes of {@link HaConnectionError}. */
export type HaConnectionErrorCode =
  | 'ERR_CANNOT_CONNECT'
  | 'ERR_CONNECT_TIMEOUT'
  | 'ERR_AUTH_TIMEOUT'
  | 'ERR_PROTOCOL'
  | 'ERR_CONNECTION_LOST'
  | 'ERR_HEARTBEAT_TIMEOUT'
  | 'ERR_NOT_CONNECTED';

/**
 * Base class of every error this library throws or rejects with. `C` is the literal type of `code`: each subclass
 * narrows it, so a `switch (error.code)` on {@link AnyHaClientError} narrows to the class and its extra fields.
 */
export class HaClientError<C extends HaClientErrorCode = HaClientErrorCode> extends Error {
  /** Stable machine-readable code. */
  readonly code: C;
  /** Whether doing the same thing again later can succeed (the client's own reconnect loop does so for you). */
  readonly retryable: boolean;

  constructor(code: C, message: string, details: ErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = details.retryable;
    // Format the stack now. Until `.stack` is read, V8 keeps each frame's receiver alive, and consumers keep
    // errors (last error in a health report, a log buffer): a dead socket and its session would stay reachable
    // through every error raised while it closed.
    if (this.stack === undefined) this.stack = `${this.name}: ${message}`;
  }
}

/** A bad option or argument, thrown synchronously by the call that received it. */
export class HaInvalidArgumentError extends HaClientError<'ERR_INVALID_OPTION' | 'ERR_INVALID_ARGUMENT'> {
  constructor(code: 'ERR_INVALID_OPTION' | 'ERR_INVALID_ARGUMENT', message: string) {
    super(code, message, { retryable: false });
  }
}

/** The checks of `createHaClient`'s options (and the socket factory's), throwing `ERR_INVALID_OPTION`. */
export const optionCheck = optionChecks(
  (name, expected, value) =>
    new HaInvalidArgumentError('ERR_INVALID_OPTION', invalidOptionMessage(name, expected, value)),
);

/** The socket could not be opened or authenticated in time, or it was lost, or HA spoke out of protocol. */
export class HaConnectionError extends HaClientError<HaConnectionErrorCode> {
  constructor(code: HaConnectionErrorCode, message: string, cause?: unknown) {
    super(code, message, { retryable: true, cause });
  }
}

/**
 * HA answered `auth_invalid`. Retrying with the same token cannot help, so `retryable` is false. `whenConnected()`
 * rejects with it; the client itself keeps trying at the slowest pace, so a token fixed in HA is picked up.
 */
export class HaAuthError extends HaClientError<'ERR_AUTH_INVALID'> {
  /** HA's own message, e.g. "Invalid access token or password". */
  readonly haMessage: string;

  constructor(haMessage: string) {
    super('ERR_AUTH_INVALID', `Home Assistant rejected the access token: ${haMessage}`, {
      retryable: false,
    });
    this.haMessage = haMessage;
  }
}

/** What HA sent in a failed result's `error` object, beyond `code` and `message`. */
export interface HaCommandErrorDetails {
  /** HA's `error.translation_key` (e.g. `service_not_found`), when the failure came from a translatable error. */
  readonly translationKey?: string | undefined;
  /** HA's `error.translation_placeholders` (e.g. `{ domain, service }`). */
  readonly translationPlaceholders?: Readonly<Record<string, string>> | undefined;
  /** HA's `error.translation_domain`, the integration whose strings hold the key. */
  readonly translationDomain?: string | undefined;
}

/**
 * HA answered a command with `success: false`. `haCode` is HA's open-ended `error.code` (`not_found`, …). HA adds
 * `translation_key`/`translation_placeholders`/`translation_domain` for a `HomeAssistantError` that has them
 * (homeassistant/components/websocket_api/connection.py, `async_handle_exception`); they are kept here.
 */
export class HaCommandError extends HaClientError<'ERR_COMMAND_FAILED'> {
  /** HA's `error.code`, e.g. `unknown_command`, `unauthorized`, `not_found`, `service_validation_error`. */
  readonly haCode: string;
  /** HA's `error.message`. */
  readonly haMessage: string;
  /** The command `type` that failed. */
  readonly commandType: string;
  /** HA's `error.translation_key`, if sent. */
  readonly translationKey: string | undefined;
  /** HA's `error.translation_placeholders`, if sent. */
  readonly translationPlaceholders: Readonly<Record<string, string>> | undefined;
  /** HA's `error.translation_domain`, if sent. */
  readonly translationDomain: string | undefined;

  constructor(commandType: string, haCode: string, haMessage: string, details: HaCommandErrorDetails = {}) {
    // HA maps a handler's TimeoutError to `timeout`: the only code where the same command can succeed later.
    super('ERR_COMMAND_FAILED', `Command \`${commandType}\` failed: ${haCode}: ${haMessage}`, {
      retryable: haCode === 'timeout',
    });
    this.haCode = haCode;
    this.haMessage = haMessage;
    this.commandType = commandType;
    this.translationKey = details.translationKey;
    this.translationPlaceholders = details.translationPlaceholders;
    this.translationDomain = details.translationDomain;
  }
}

/** A command got no answer within its `timeoutMs`. */
export class HaTimeoutError extends HaClientError<'ERR_COMMAND_TIMEOUT'> {
  /** The command `type` that timed out. */
  readonly commandType: string;
  /** The deadline that passed. */
  readonly timeoutMs: number;

  constructor(commandType: string, timeoutMs: number) {
    super('ERR_COMMAND_TIMEOUT', `Command \`${commandType}\` got no answer within ${timeoutMs} ms`, {
      retryable: true,
    });
    this.commandType = commandType;
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired; `cause` is the signal's reason. */
export class HaAbortError extends HaClientError<'ERR_ABORTED'> {
  constructor(what: string, reason: unknown) {
    super('ERR_ABORTED', `${what} was aborted`, { retryable: false, cause: reason });
  }
}

/** The client is closed, or gave up after `maxRetries`. */
export class HaClientStateError extends HaClientError<'ERR_CLIENT_CLOSED' | 'ERR_RETRIES_EXHAUSTED'> {
  constructor(code: 'ERR_CLIENT_CLOSED' | 'ERR_RETRIES_EXHAUSTED', message: string, cause?: unknown) {
    super(code, message, { retryable: false, cause });
  }
}

/** The error of anything attempted on, or waiting in, a closed client. */
export function clientClosedError(): HaClientStateError {
  return new HaClientStateError('ERR_CLIENT_CLOSED', 'The client was closed');
}

/**
 * Every error this library raises, as a union discriminated by `code`: after {@link isHaClientError},
 * `switch (error.code)` narrows to the class (`ERR_COMMAND_FAILED` → `HaCommandError` with `haCode`, …).
 */
export type AnyHaClientError =
  | HaInvalidArgumentError
  | HaConnectionError
  | HaAuthError
  | HaCommandError
  | HaTimeoutError
  | HaAbortError
  | HaClientStateError;

/** True when `error` is any error raised by this library; narrows it to {@link AnyHaClientError}. */
export function isHaClientError(error: unknown): error is AnyHaClientError {
  return error instanceof HaClientError;
}

/** Wraps anything thrown into an Error so `lastError` and hooks always get `code` + `message`. */
export function describeError(error: unknown): { code: string; message: string } {
  if (isHaClientError(error)) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'ERR_UNKNOWN', message: error.message };
  }
  return { code: 'ERR_UNKNOWN', message: String(error) };
}
