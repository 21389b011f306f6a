import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { SentEvent } from '../harness/ledger.js';

/** A dashboard that reads `/ws` and checks each event against what HA sent, in order. */
export interface FastClient {
  /** Accepted (got `connected`), refused (closed with 1013), or still waiting. */
  readonly status: 'waiting' | 'accepted' | 'refused' | 'closed';
  readonly received: number;
  /** Position in HA's stream of the first event it received (-1 before the first, or if it was not HA's). */
  readonly first: number;
  /** Events after the first that were not the next one HA sent (wrong entity or time, missing, reordered). */
  readonly mismatches: number;
  close(): void;
}

/** The fields of a live event this check reads. */
interface LiveEvent {
  readonly entityId: string;
  readonly timeFiredUs: number;
}

const matches = (sent: SentEvent | undefined, event: LiveEvent) =>
  sent?.entityId === event.entityId && sent.timeNs === `${event.timeFiredUs}000`;

/**
 * Opens a fast client. `sent` is the ledger's event list (it grows while the test runs), `hint` a position in
 * it at or before the client's first event: the first event is looked up from there, every later one must be
 * the next event HA sent.
 */
export function openFastClient(url: string, sent: readonly SentEvent[], hint: number): FastClient {
  const ws = new WebSocket(url);
  let status: FastClient['status'] = 'waiting';
  let received = 0;
  let first = -1;
  let mismatches = 0;
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as { type: string; events?: LiveEvent[] };
    if (message.type === 'connected') status = 'accepted';
    for (const event of message.events ?? []) {
      if (received === 0) {
        first = sent.findIndex((e, i) => i >= hint && matches(e, event));
      } else if (first < 0 || !matches(sent[first + received], event)) {
        mismatches++;
      }
      received++;
    }
  });
  ws.on('close', (code: number) => {
    status = code === 1013 ? 'refused' : 'closed';
  });
  ws.on('error', () => {
    status = 'closed';
  });
  return {
    get status() {
      return status;
    },
    get received() {
      return received;
    },
    get first() {
      return first;
    },
    get mismatches() {
      return mismatches;
    },
    close: () => {
      ws.terminate();
    },
  };
}

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
