import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';

/** HA's WebSocket endpoint (`websocket_api/const.py` URL). */
export const WS_PATH = '/api/websocket';

/**
 * The HTTP side: `GET /api/websocket` upgrades (without HTTP auth: auth happens in the socket, as
 * `requires_auth = False` in HA), `GET /api/` answers like HA's API root for a bearer token, anything
 * else is a 404.
 */
export function createHaHttpServer(
  wss: WebSocketServer,
  token: () => string,
  onSocket: (ws: WebSocket, socket: Socket) => void,
): Server {
  const server = createServer((request, response) => {
    const authorized = request.headers.authorization === `Bearer ${token()}`;
    if (request.url === '/api/' && request.method === 'GET') {
      response.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
      response.end(authorized ? '{"message":"API running."}' : '401: Unauthorized');
    } else if (request.url === WS_PATH) {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end('Expected WebSocket upgrade');
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('404: Not Found');
    }
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    if (request.url?.split('?')[0] !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      onSocket(ws, socket);
    });
  });
  return server;
}
