import { dictSchema, isStr, literal, optional, required, SchemaError } from './schema.js';
import type { SimState } from './sim-state.js';

/** HA `AUTH_MESSAGE_SCHEMA`: `type: "auth"` and exactly one of access_token / api_password; no `id`. */
const AUTH_SCHEMA = dictSchema(
  { type: required(literal('auth')), api_password: optional(isStr), access_token: optional(isStr) },
  { auth: ['api_password', 'access_token'] },
);

/** What the auth phase needs from its connection. */
export interface AuthConnection {
  sendDirect(frame: string): void;
  enterCommandPhase(): void;
  close(code?: number): void;
}

/**
 * HA `auth.py` plus the auth half of `http.py`: auth_required at once (sent directly, not queued), one
 * message within the deadline, then auth_ok or auth_invalid-and-close. Non-text frames and invalid
 * JSON close the socket without a message.
 */
export class AuthPhase {
  /** The auth message is being answered: later frames wait for the command phase. */
  busy = false;
  #timer: unknown = null;
  #done = false;

  constructor(
    readonly connection: AuthConnection,
    readonly state: SimState,
  ) {}

  begin(): void {
    const state = this.state;
    if (state.authMode === 'no-auth-required') {
      this.#done = true;
      state.counters.authOk++;
      this.connection.sendDirect(JSON.stringify({ type: 'auth_ok', ha_version: state.haVersion }));
      this.connection.enterCommandPhase();
      return;
    }
    this.connection.sendDirect(JSON.stringify({ type: 'auth_required', ha_version: state.haVersion }));
    this.#timer = state.options.timers.setTimeout(() => {
      this.#timer = null;
      if (this.#done || this.busy) return;
      // "Did not receive auth message within 10 seconds": disconnect, no message.
      state.counters.authTimeouts++;
      this.#done = true;
      this.connection.close();
    }, state.options.authTimeoutMs);
  }

  cancel(): void {
    this.#done = true;
    if (this.#timer !== null) this.state.options.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  handle(data: Buffer, isBinary: boolean): void {
    if (this.#done) return;
    this.busy = true;
    if (this.#timer !== null) this.state.options.timers.clearTimeout(this.#timer);
    this.#timer = null;
    if (isBinary) {
      this.#finish(null);
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      this.#finish(null);
      return;
    }
    const state = this.state;
    if (state.authMode === 'silent') return; // never answered; the client's own timeout must act
    /** 'ok', or the auth_invalid message. */
    let answer: string;
    try {
      const valid = AUTH_SCHEMA(message);
      const token = valid['access_token'];
      answer =
        state.authMode === 'accept' && typeof token === 'string' && token === state.token
          ? 'ok'
          : 'Invalid access token or password';
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      answer = `Auth message incorrectly formatted: ${error.humanize(message)}`;
    }
    if (state.authDelayMs > 0)
      state.options.timers.setTimeout(() => {
        this.#finish(answer);
      }, state.authDelayMs);
    else this.#finish(answer);
  }

  /** `null`: close without a message; `'ok'`: auth_ok; otherwise auth_invalid with that message. */
  #finish(answer: string | null): void {
    if (this.#done) return;
    this.#done = true;
    const state = this.state;
    if (answer === 'ok') {
      state.counters.authOk++;
      this.connection.sendDirect(JSON.stringify({ type: 'auth_ok', ha_version: state.haVersion }));
      this.busy = false;
      this.connection.enterCommandPhase();
      return;
    }
    if (answer !== null) {
      state.counters.authInvalid++;
      this.connection.sendDirect(JSON.stringify({ type: 'auth_invalid', message: answer }));
    }
    this.connection.close();
  }
}
