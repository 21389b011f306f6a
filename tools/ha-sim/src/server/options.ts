import { createHomeModel } from '../model/home-model.js';
import type { HomeModel } from '../model/home-model-api.js';
import type { HomeModelOptions } from '../model/home-options.js';
import { checkFunction, checkInteger, checkString } from '../util/validate.js';
import {
  resolveRecorderOptions,
  type RecorderOptions,
  type ResolvedRecorderOptions,
} from './recorder/recorder-options.js';
import type { DropReason } from './sim-state.js';
import { NODE_TIMERS, type SimTimers } from './timers.js';

/** Options of {@link startHaSim}. Limits default to HA core's (`websocket_api/const.py`, `http.py`). */
export interface HaSimOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** The one long-lived access token accepted. @default 'ha-sim-token' */
  readonly token?: string;
  /** Sent in auth_required / auth_ok and get_config. @default '2025.1.2' */
  readonly haVersion?: string;
  /** A prepared home, or options to build one (its clock defaults to this simulator's `now`). @default {} */
  readonly home?: HomeModel | HomeModelOptions;
  /** Deadline for the auth message after auth_required. @default 10000 */
  readonly authTimeoutMs?: number;
  /** HA `MAX_PENDING_MSG`: close when this many messages are queued. @default 4096 */
  readonly maxPendingMessages?: number;
  /** HA `PENDING_MSG_PEAK`: above this, a timer starts. @default 1024 */
  readonly pendingPeakMessages?: number;
  /** HA `PENDING_MSG_PEAK_TIME`: close if still at or above the peak when it fires. @default 10000 */
  readonly pendingPeakMs?: number;
  /** HA `PENDING_MSG_MAX_FORCE_READY`. @default 256 */
  readonly forceFlushMessages?: number;
  /** aiohttp drain limit after auth (1 MiB). @default 1048576 */
  readonly drainLimitBytes?: number;
  /** aiohttp `max_msg_size`: bigger incoming messages close the socket (1009). @default 4194304 */
  readonly maxIncomingBytes?: number;
  /** aiohttp `heartbeat`: WS ping after this long without traffic; no pong within half of it closes. 0 disables. @default 55000 */
  readonly heartbeatMs?: number;
  /** aiohttp close timeout: a close the client does not answer is cut after this long. @default 10000 */
  readonly closeTimeoutMs?: number;
  /** Negotiate permessage-deflate when the client offers it, as aiohttp (`compress=True`) does. @default true */
  readonly perMessageDeflate?: boolean;
  /** Clock in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Timers for auth deadlines, heartbeats, pending-peak checks and writer turns. @default Node's timers */
  readonly timers?: SimTimers;
  /** Called for every drop of outgoing messages, with the reason and how many. @default none */
  readonly onDrop?: (reason: DropReason, count: number) => void;
  /**
   * The recorder behind `history/history_during_period` and `history/stream`; `false` runs without one (the
   * history commands are then unknown, as in an HA without `recorder`). @default {}
   */
  readonly recorder?: RecorderOptions | false;
}

export interface ResolvedSimOptions {
  readonly port: number;
  readonly host: string;
  readonly token: string;
  readonly haVersion: string;
  readonly home: HomeModel;
  readonly authTimeoutMs: number;
  readonly maxPendingMessages: number;
  readonly pendingPeakMessages: number;
  readonly pendingPeakMs: number;
  readonly forceFlushMessages: number;
  readonly drainLimitBytes: number;
  readonly maxIncomingBytes: number;
  readonly heartbeatMs: number;
  readonly closeTimeoutMs: number;
  readonly perMessageDeflate: boolean;
  readonly now: () => number;
  readonly timers: SimTimers;
  readonly onDrop: ((reason: DropReason, count: number) => void) | undefined;
  readonly recorder: ResolvedRecorderOptions | null;
}

function isHomeModel(value: HomeModel | HomeModelOptions): value is HomeModel {
  return typeof (value as Partial<HomeModel>).entityIds === 'function';
}

/** Applies defaults and validates, in one place. */
export function resolveSimOptions(options: HaSimOptions): ResolvedSimOptions {
  const now = checkFunction('now', options.now ?? Date.now);
  const home = options.home ?? {};
  const maxPendingMessages = checkInteger('maxPendingMessages', options.maxPendingMessages ?? 4096, 1);
  const resolved: ResolvedSimOptions = {
    port: checkInteger('port', options.port ?? 0, 0),
    host: checkString('host', options.host ?? '127.0.0.1'),
    token: checkString('token', options.token ?? 'ha-sim-token'),
    haVersion: checkString('haVersion', options.haVersion ?? '2025.1.2'),
    home: isHomeModel(home) ? home : createHomeModel({ now, ...home }),
    authTimeoutMs: checkInteger('authTimeoutMs', options.authTimeoutMs ?? 10_000, 1),
    maxPendingMessages,
    pendingPeakMessages: checkInteger('pendingPeakMessages', options.pendingPeakMessages ?? 1024, 1),
    pendingPeakMs: checkInteger('pendingPeakMs', options.pendingPeakMs ?? 10_000, 1),
    forceFlushMessages: checkInteger('forceFlushMessages', options.forceFlushMessages ?? 256, 1),
    drainLimitBytes: checkInteger('drainLimitBytes', options.drainLimitBytes ?? 1_048_576, 1),
    maxIncomingBytes: checkInteger('maxIncomingBytes', options.maxIncomingBytes ?? 4_194_304, 1),
    heartbeatMs: checkInteger('heartbeatMs', options.heartbeatMs ?? 55_000, 0),
    closeTimeoutMs: checkInteger('closeTimeoutMs', options.closeTimeoutMs ?? 10_000, 1),
    perMessageDeflate: options.perMessageDeflate ?? true,
    now,
    timers: options.timers ?? NODE_TIMERS,
    onDrop: options.onDrop === undefined ? undefined : checkFunction('onDrop', options.onDrop),
    recorder: options.recorder === false ? null : resolveRecorderOptions(options.recorder ?? {}),
  };
  if (resolved.port > 65_535)
    throw new TypeError(
      `Expected \`port\` to be an integer from 0 to 65535, got \`${resolved.port}\` (number)`,
    );
  if (resolved.pendingPeakMessages >= maxPendingMessages) {
    throw new TypeError(
      `Expected \`pendingPeakMessages\` to be below \`maxPendingMessages\` (${maxPendingMessages}), got \`${resolved.pendingPeakMessages}\` (number)`,
    );
  }
  return resolved;
}
