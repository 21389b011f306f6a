import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SentEvent } from '../harness/ledger.js';

/** What one reading dashboard saw: its status, how many events, the first one, and a digest of all in order. */
export interface FleetClientReport {
  readonly id: number;
  readonly status: 'waiting' | 'accepted' | 'refused' | 'closed';
  readonly received: number;
  /** `<entity_id> <time ns>` of the first event, null before one arrived. */
  readonly first: string | null;
  /** SHA-256 over `<entity_id> <time ns>\n` of every event received, in order. */
  readonly digest: string;
}

/** Reading dashboards in a child process, so their JSON parsing runs beside the simulator, not on its thread. */
export interface DashboardFleet {
  /** Opens one client; resolves once the service accepted or refused it. */
  open(url: string): Promise<FleetClientReport['status']>;
  report(): Promise<FleetClientReport[]>;
  close(): void;
}

// The child: plain CommonJS, `ws` required by the absolute path this workspace resolves it to.
const CHILD = (wsPath: string) => `'use strict';
const { WebSocket } = require(${JSON.stringify(wsPath)});
const { createHash } = require('node:crypto');
const clients = new Map();
process.on('message', (m) => {
  if (m.cmd === 'open') {
    const c = { status: 'waiting', received: 0, first: null, hash: createHash('sha256'), ws: new WebSocket(m.url) };
    clients.set(m.id, c);
    let told = false;
    const tell = () => { if (!told) { told = true; process.send({ id: m.id, status: c.status }); } };
    c.ws.on('message', (data) => {
      const message = JSON.parse(data.toString('utf8'));
      if (message.type === 'connected') { c.status = 'accepted'; tell(); }
      for (const e of message.events || []) {
        const key = e.entityId + ' ' + e.timeFiredUs + '000';
        if (c.first === null) c.first = key;
        c.hash.update(key + '\\n');
        c.received++;
      }
    });
    c.ws.on('close', (code) => { c.status = code === 1013 ? 'refused' : 'closed'; tell(); });
    c.ws.on('error', () => { c.status = 'closed'; tell(); });
  } else if (m.cmd === 'report') {
    const report = [...clients].map(([id, c]) => ({ id, status: c.status, received: c.received, first: c.first, digest: c.hash.digest('hex') }));
    for (const c of clients.values()) c.ws.terminate();
    process.send({ report });
  }
});
`;

export function startDashboardFleet(): DashboardFleet {
  const dir = mkdtempSync(join(tmpdir(), 'homeiq-fleet-'));
  const script = join(dir, 'fleet.cjs');
  writeFileSync(script, CHILD(require.resolve('ws')));
  const child: ChildProcess = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (status: FleetClientReport['status']) => void>();
  let onReport: ((report: FleetClientReport[]) => void) | undefined;
  let next = 0;
  child.on(
    'message',
    (message: { id?: number; status?: FleetClientReport['status']; report?: FleetClientReport[] }) => {
      if (message.report) onReport?.(message.report);
      else if (message.id !== undefined && message.status !== undefined)
        waiting.get(message.id)?.(message.status);
    },
  );
  return {
    open(url) {
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.send({ cmd: 'open', id, url });
      });
    },
    report() {
      return new Promise((resolve) => {
        onReport = resolve;
        child.send({ cmd: 'report' });
      });
    },
    close() {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Whether a client received every event HA sent from its first one to the end, in order and nothing else:
 * its first event is looked up in `sent` from `hint` on, and its digest must equal the digest of the rest.
 */
export function receivedEverything(
  client: FleetClientReport,
  sent: readonly SentEvent[],
  hint: number,
): boolean {
  const first = sent.findIndex((e, i) => i >= hint && `${e.entityId} ${e.timeNs}` === client.first);
  if (first < 0 || client.received !== sent.length - first) return false;
  const hash = createHash('sha256');
  for (let i = first; i < sent.length; i++) {
    const event = sent[i];
    if (event) hash.update(`${event.entityId} ${event.timeNs}\n`);
  }
  return hash.digest('hex') === client.digest;
}
