import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** How to answer request number `index` (0-based); `hang` never answers. */
export type Reply = { status: number; headers?: Record<string, string>; body?: unknown } | 'hang';

/** A reply now, or later (the request stays open until the promise settles). */
export type ReplyPlan = Reply | Promise<Reply>;

/** A small HTTP server on 127.0.0.1 that records every request and answers as told. */
export interface RecordingServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Decides each reply; default 200 `{"success":true,"upserted":N}`. */
  reply: (request: RecordedRequest, index: number) => ReplyPlan;
  /** Resolves when `count` requests in total have been received. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      requests.push(request);
      const plan = recording.reply(request, requests.length - 1);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      hanging.push(res);
      void Promise.resolve(plan).then((reply) => {
        if (reply === 'hang') return;
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(JSON.stringify(reply.body ?? {}));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const recording: RecordingServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (request) => ({
      status: 200,
      body: {
        success: true,
        upserted: Array.isArray(request.body) ? request.body.length : 0,
        timestamp: '2026-01-01T00:00:00',
      },
    }),
    received: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  return recording;
}
