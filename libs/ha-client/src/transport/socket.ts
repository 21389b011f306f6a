/**
 * The transport seam: the client talks to one small socket interface, so tests hand it a fake and production
 * hands it `ws` (see `createWsSocketFactory`).
 */

/** Callbacks a socket reports to. After `onClose` a socket calls none of them again. */
export interface HaSocketHandlers {
  /** The WebSocket upgrade completed. */
  onOpen(): void;
  /** One TEXT frame, as a string. */
  onMessage(text: string): void;
  /** The socket closed, whoever closed it. Called exactly once. */
  onClose(code: number, reason: string): void;
  /** A transport error; `onClose` follows. */
  onError(error: Error): void;
}

/** One WebSocket, as the client needs it. */
export interface HaSocket {
  /** Sends one TEXT frame. */
  send(text: string): void;
  /** Starts a graceful close (close frame). */
  close(code: number, reason: string): void;
  /** Destroys the connection at once, without a close handshake: the only safe move on a wedged socket. */
  terminate(): void;
}

/** Opens a socket to `url` (already normalized to `ws(s)://…/api/websocket`) that reports to `handlers`. */
export type HaSocketFactory = (url: string, handlers: HaSocketHandlers) => HaSocket;
