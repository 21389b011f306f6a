import type { EntityContext } from './entity-context.js';
import type { DeviceTemplateName } from './catalog.js';
import type { EntityKindName } from './kind-names.js';
import type { ContextOverride } from './state-machine.js';
import type {
  HaAreaEntry,
  HaConfigEntry,
  HaDeviceEntry,
  HaEntityEntry,
  HaEvent,
  HaFloorEntry,
  HaState,
} from './wire-types.js';

/** Options of {@link HomeModel.addEntity}. */
export interface AddEntityOptions {
  readonly kind: EntityKindName;
  /** Display name; with a device, the entity name under it (`"Temperature"`). */
  readonly name: string;
  /** Device to attach to. @default null (a device-less template entity) */
  readonly deviceId?: string | null;
  /** Registry area override. @default null */
  readonly areaId?: string | null;
  /** First state; omitted, the kind's realistic initial reading. */
  readonly state?: string;
  /** Complete first attributes (with `state`). */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** Options of {@link HomeModel.addDevice}. */
export interface AddDeviceOptions {
  /** @default 'plug' */
  readonly template?: DeviceTemplateName;
  /** @default "<area name> <template label>" */
  readonly name?: string;
  /** @default null */
  readonly areaId?: string | null;
}

/**
 * A simulated home: HA's registries (wire shapes) and state machine. Every mutation changes the model
 * and fires the events HA fires for it, to the simulator's clients when the model is attached to one.
 */
export interface HomeModel {
  readonly seed: number;
  readonly floors: readonly HaFloorEntry[];
  readonly areas: readonly HaAreaEntry[];
  readonly devices: readonly HaDeviceEntry[];
  /** Entity registry, including disabled entries (which have no state). */
  readonly entities: readonly HaEntityEntry[];
  readonly configEntries: readonly HaConfigEntry[];
  /** Users (32-hex ids) that contexts may name: the owner and the people. */
  readonly userIds: readonly string[];
  /** Entity ids with a state, in get_states order. */
  entityIds(): string[];
  getState(entityId: string): HaState | undefined;
  /** All current states (parsed copies). */
  states(): Map<string, HaState>;
  /** The entity's device, area and floor as HA shows them; undefined when the entity registry does not list it. */
  entityContext(entityId: string): EntityContext | undefined;
  /** Applies `count` realistic random state changes; returns how many fired state_changed. */
  randomChanges(count: number): number;
  /** `hass.states.async_set`: `attributes` is the complete new set (omitted: kept). False when nothing changed. */
  setState(
    entityId: string,
    state: string,
    attributes?: Readonly<Record<string, unknown>>,
    context?: ContextOverride,
  ): boolean;
  addEntity(options: AddEntityOptions): string;
  removeEntity(entityId: string): void;
  addDevice(options?: AddDeviceOptions): { deviceId: string; entityIds: string[] };
  removeDevice(deviceId: string): void;
  renameDevice(deviceId: string, nameByUser: string | null): void;
  moveDeviceToArea(deviceId: string, areaId: string | null): void;
  renameEntity(entityId: string, newEntityId: string): void;
  setEntityName(entityId: string, name: string | null): void;
  moveEntityToArea(entityId: string, areaId: string | null): void;
  addArea(name: string, floorId?: string | null): string;
  updateArea(areaId: string, change: { name?: string; floorId?: string | null }): void;
  removeArea(areaId: string): void;
  addFloor(name: string, level?: number | null): string;
  removeFloor(floorId: string): void;
  /** Fires any event (HA's `bus.async_fire`); `data` must be JSON-serializable. */
  fireEvent(eventType: string, data: unknown): void;
  /** Observes every event the model fires, parsed (a test aid; the simulator uses the fast path). */
  onEvent(listener: (event: HaEvent) => void): () => void;
}
