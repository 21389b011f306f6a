import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** A dashboard that never reads. */
export interface SlowClient {
  /** The error that ended the connection, if one did (the server resets it when it gives up on the client). */
  readonly error: Error | undefined;
  destroy(): void;
}

/**
 * Opens a dashboard that never reads: a raw TCP connection that sends the WebSocket upgrade request and pauses,
 * so the server's bytes pile up in the kernel buffers and then in the server's own send buffer.
 */
export function openSlowClient(port: number): Promise<SlowClient> {
  return new Promise((resolve, reject) => {
    let error: Error | undefined;
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(
        [
          'GET /ws HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      );
      socket.pause();
      resolve({
        get error() {
          return error;
        },
        destroy: () => {
          socket.destroy();
        },
      });
    });
    socket.on('error', (cause: Error) => {
      error = cause;
      reject(cause);
    });
  });
}
