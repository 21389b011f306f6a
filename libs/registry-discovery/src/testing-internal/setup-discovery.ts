import type { Logger } from '@homeiq/runtime';
import { ManualClock } from '@homeiq/runtime/testing';
import type { RegistryDiscovery } from '../discovery/discovery.js';
import { createRegistryDiscovery } from '../discovery/discovery.js';
import type { RegistryDiscoveryOptions, RegistryDrop } from '../discovery/discovery-options.js';
import { FakeConnection } from './fake-connection.js';
import { smallHome } from './fixtures.js';

/** A logger that keeps messages for assertions instead of printing. */
export function memoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const log =
    (level: string) =>
    (message: string): void => {
      lines.push(`${level}: ${message}`);
    };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Discovery over a fake connection serving `smallHome()`, with a manual clock. */
export function setupDiscovery(options: Partial<RegistryDiscoveryOptions> = {}): {
  discovery: RegistryDiscovery;
  connection: FakeConnection;
  clock: ManualClock;
  drops: RegistryDrop[];
  logger: ReturnType<typeof memoryLogger>;
} {
  const clock = new ManualClock();
  const connection = new FakeConnection(smallHome());
  const drops: RegistryDrop[] = [];
  const logger = memoryLogger();
  const discovery = createRegistryDiscovery({
    connection,
    clock,
    random: () => 0.5,
    logger,
    onDrop: (drop) => drops.push(drop),
    ...options,
  });
  return { discovery, connection, clock, drops, logger };
}
