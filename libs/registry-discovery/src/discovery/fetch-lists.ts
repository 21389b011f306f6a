import type { Clock } from '@homeiq/runtime';
import { RegistryDiscoveryError } from '../errors.js';
import type { RegistryLists } from '../model/registry-state.js';
import type { RegistryKind } from '../model/types.js';
import {
  parseAreas,
  parseConfigEntries,
  parseDevices,
  parseEntities,
  parseFloors,
  type IssueSink,
} from '../parse/parse-list.js';
import { haErrorCode, type RegistryConnection } from './connection.js';

/** HA's list commands (docs/ha-websocket-protocol.md#registries; config entries for integration names). */
export const LIST_COMMANDS = {
  floors: 'config/floor_registry/list',
  areas: 'config/area_registry/list',
  devices: 'config/device_registry/list',
  entities: 'config/entity_registry/list',
  configEntries: 'config_entries/get',
} as const;

/** What fetching needs from discovery. */
export interface FetchDeps {
  readonly connection: RegistryConnection;
  readonly clock: Clock;
  readonly commandTimeoutMs: number;
  /** Whether a command's deadline keeps the process alive: true when someone awaits the fetch. */
  readonly keepAlive: boolean;
  readonly report: IssueSink;
  /** A non-fatal failure (config entries could not be read). */
  readonly onSoftFailure: (error: unknown) => void;
}

/** Lists fetched for a refresh, plus whether this HA has a floor registry. */
export interface FetchedLists {
  readonly lists: RegistryLists;
  readonly floorsSupported: boolean | undefined;
}

/** Sends one command with a deadline, so a wedged connection cannot hold a registry's fetch slot forever. */
function command(deps: FetchDeps, type: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = deps.clock.setTimeout(
      () => {
        reject(
          new RegistryDiscoveryError(
            'ERR_FETCH_TIMEOUT',
            `\`${type}\` got no answer within ${deps.commandTimeoutMs} ms`,
            {
              retryable: true,
            },
          ),
        );
      },
      deps.commandTimeoutMs,
      { keepAlive: deps.keepAlive },
    );
    deps.connection.sendCommand(type).then(
      (result) => {
        deps.clock.clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        deps.clock.clearTimeout(timer);
        reject(
          new RegistryDiscoveryError('ERR_FETCH_FAILED', `\`${type}\` failed: ${String(error)}`, {
            retryable: true,
            cause: error,
          }),
        );
      },
    );
  });
}

function notAList(type: string): RegistryDiscoveryError {
  return new RegistryDiscoveryError('ERR_BAD_PAYLOAD', `\`${type}\` did not answer with a list`, {
    retryable: true,
  });
}

/** Floors, or an empty list on HA before 2024.4 that does not know the command. */
async function fetchFloors(deps: FetchDeps): Promise<FetchedLists> {
  try {
    const floors = parseFloors(await command(deps, LIST_COMMANDS.floors), deps.report);
    if (floors === undefined) throw notAList(LIST_COMMANDS.floors);
    return { lists: { floors }, floorsSupported: true };
  } catch (error) {
    const cause = error instanceof RegistryDiscoveryError ? error.cause : undefined;
    if (haErrorCode(cause) !== 'unknown_command') throw error;
    return { lists: { floors: [] }, floorsSupported: false };
  }
}

/** Config entries, or undefined when they cannot be read (devices then keep their last known integration). */
async function fetchConfigEntries(deps: FetchDeps): Promise<RegistryLists> {
  try {
    const entries = parseConfigEntries(await command(deps, LIST_COMMANDS.configEntries), deps.report);
    if (entries === undefined) throw notAList(LIST_COMMANDS.configEntries);
    return { configEntries: entries };
  } catch (error) {
    deps.onSoftFailure(error);
    return {};
  }
}

async function fetchList(deps: FetchDeps, kind: Exclude<RegistryKind, 'floors'>): Promise<RegistryLists> {
  const raw = await command(deps, LIST_COMMANDS[kind]);
  const parsed =
    kind === 'devices'
      ? parseDevices(raw, deps.report)
      : kind === 'entities'
        ? parseEntities(raw, deps.report)
        : parseAreas(raw, deps.report);
  if (parsed === undefined) throw notAList(LIST_COMMANDS[kind]);
  return { [kind]: parsed };
}

/**
 * The values of all promises, or the first rejection once all have settled. Waiting for every one (unlike
 * `Promise.all`) keeps a fetch "in flight" until each command it sent is answered, so the one-fetch-per-registry
 * rule holds on the wire.
 */
async function settled<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const results = await Promise.allSettled(promises as readonly Promise<unknown>[]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Fetches one registry (devices come with the config entries that name their integration). */
export async function fetchKind(deps: FetchDeps, kind: RegistryKind): Promise<FetchedLists> {
  if (kind === 'floors') return fetchFloors(deps);
  if (kind !== 'devices') return { lists: await fetchList(deps, kind), floorsSupported: undefined };
  const [devices, configEntries] = await settled([fetchList(deps, 'devices'), fetchConfigEntries(deps)]);
  return { lists: { ...devices, ...configEntries }, floorsSupported: undefined };
}

/** Fetches every registry in parallel; rejects (applying nothing) unless all the required lists arrived. */
export async function fetchAll(deps: FetchDeps): Promise<FetchedLists> {
  const [floors, areas, devices, entities, configEntries] = await settled([
    fetchFloors(deps),
    fetchList(deps, 'areas'),
    fetchList(deps, 'devices'),
    fetchList(deps, 'entities'),
    fetchConfigEntries(deps),
  ]);
  return {
    lists: { ...floors.lists, ...areas, ...devices, ...entities, ...configEntries },
    floorsSupported: floors.floorsSupported,
  };
}
