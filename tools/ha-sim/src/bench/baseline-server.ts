import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The baseline: a bare `ws` server that answers the same handshake and then sends pre-built frames
 * (the same coalesced arrays the simulator produced), paced the same way: send while under the 1 MiB
 * drain limit, else wait for the socket to take the data.
 */
export async function startBaselineServer(
  frames: readonly Buffer[],
  events: number,
  eventsPerFrame: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise<void>((resolve) =>
    wss.once('listening', () => {
      resolve();
    }),
  );
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'auth_required', ha_version: 'baseline' }));
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; id?: number };
      if (message.type === 'auth') ws.send(JSON.stringify({ type: 'auth_ok', ha_version: 'baseline' }));
      else if (message.type === 'subscribe_events') {
        ws.send(JSON.stringify({ id: message.id, type: 'result', success: true, result: null }));
        blast(ws, frames, Math.ceil(events / eventsPerFrame));
      } else ws.send(JSON.stringify({ id: message.id, type: 'result', success: true, result: null }));
    });
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/api/websocket`,
    close: () =>
      new Promise((resolve) => {
        wss.close(() => {
          resolve();
        });
      }),
  };
}

function blast(ws: WebSocket, frames: readonly Buffer[], count: number): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < count) {
      const frame = frames[sent % frames.length] ?? Buffer.from('[]');
      sent++;
      if (ws.bufferedAmount + frame.length > 1_048_576) {
        ws.send(frame, { binary: false }, pump);
        return;
      }
      ws.send(frame, { binary: false });
    }
  };
  setImmediate(pump);
}
