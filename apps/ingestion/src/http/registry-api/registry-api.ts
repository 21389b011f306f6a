import type { RegistryView } from '@homeiq/registry-discovery';
import { invalidOptionMessage, optionChecks, systemClock } from '@homeiq/runtime';
import type { RegistryQuery } from '../app.js';
import { parseAreasQuery, queryAreas } from './areas.js';
import { parseDevicesQuery, queryDevices } from './devices.js';
import { parseEntitiesQuery, queryEntitiesJson } from './entities.js';
import { RegistryQueryError } from './query-error.js';

/** The data-api's 30 days (docs/decisions.md#the-data-api-contract). */
const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

/** Options of {@link createRegistryApi}. */
export interface RegistryApiOptions {
  /** The picture to answer from: registry-discovery's `discovery.view()`, read on every request. */
  readonly view: RegistryView;
  /**
   * A device not listed for this long is `inactive` in `GET /api/devices`, as in the data-api
   * (docs/decisions.md#the-data-api-contract). @default 2592000000 (30 days)
   */
  readonly inactiveAfterMs?: number;
  /** Clock time in epoch ms, for `status` and the `timestamp` of an entry never listed. @default the system clock */
  readonly now?: () => number;
}

/** The three routes of the data-api's query API, as `createApp` takes them (`AppDeps['registry']`). */
export interface RegistryApi {
  readonly devices: RegistryQuery;
  readonly entities: RegistryQuery;
  readonly areas: RegistryQuery;
}

const check = optionChecks(
  (name, expected, value) => new RangeError(invalidOptionMessage(name, expected, value)),
);

/** A query's run with a bad parameter turned into its 422 answer; any other error is a bug and is thrown. */
function route(run: (params: Readonly<Record<string, string>>) => unknown): RegistryQuery {
  return (params) => {
    try {
      return { ok: true, body: run(params) };
    } catch (error) {
      if (error instanceof RegistryQueryError) return { ok: false, status: 422, error: error.message };
      throw error;
    }
  };
}

/**
 * `GET /api/devices`, `/api/entities` and `/api/areas`: the legacy data-api's HTTP contract over the current
 * registry picture. Entities are answered as JSON text built from per-entity JSON kept until the picture changes.
 */
export function createRegistryApi({
  view,
  inactiveAfterMs = THIRTY_DAYS_MS,
  now = () => systemClock.now(),
}: RegistryApiOptions): RegistryApi {
  check.integer('inactiveAfterMs', inactiveAfterMs, 0);
  return {
    devices: route((p) => queryDevices(view, parseDevicesQuery(p), now(), inactiveAfterMs)),
    entities: route((p) => queryEntitiesJson(view, parseEntitiesQuery(p), now())),
    areas: route((p) => queryAreas(view, parseAreasQuery(p))),
  };
}
