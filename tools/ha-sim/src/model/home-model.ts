import type { AddDeviceOptions, AddEntityOptions, HomeModel } from './home-model-api.js';
import { createEventClock } from './clock.js';
import { compressedEntry } from './compressed.js';
import { checkInteger } from '../util/validate.js';
import { fromWire, wireJson } from '../util/wire-text.js';
import { eventJson, type BusEvent } from './events.js';
import { HomeCore } from './home-core.js';
import { resolveHomeOptions, type HomeModelOptions } from './home-options.js';
import { addDevice, addEntity } from './home-additions.js';
import { layOutHome } from './layout.js';
import { RegistryOps } from './registry-ops.js';
import { Registries } from './registry.js';
import { StateMachine, type ContextOverride } from './state-machine.js';
import type { HaEvent, HaState } from './wire-types.js';
import { entityContext, type EntityContext } from './entity-context.js';

const internals = new WeakMap<HomeModel, HomeModelImpl>();

/** The simulator's access to the pre-serialized side of a model. */
export function homeInternals(model: HomeModel): HomeModelImpl {
  const impl = internals.get(model);
  if (impl === undefined) throw new TypeError('Expected `home` to be a HomeModel made by createHomeModel()');
  return impl;
}

/** Builds a realistic, deterministic home (see {@link HomeModelOptions}). */
export function createHomeModel(options: HomeModelOptions = {}): HomeModel {
  const impl = new HomeModelImpl(options);
  internals.set(impl, impl);
  return impl;
}

export class HomeModelImpl implements HomeModel {
  readonly seed: number;
  readonly core: HomeCore;
  readonly machine: StateMachine;
  readonly ops: RegistryOps;
  readonly #listeners = new Set<(event: BusEvent) => void>();

  constructor(options: HomeModelOptions) {
    const resolved = resolveHomeOptions(options);
    this.seed = resolved.seed;
    const random = resolved.random;
    this.core = new HomeCore(random);
    this.core.newUserId(); // the owner
    const startMicros = Math.floor(resolved.now() * 1000);
    const definitions = layOutHome(
      this.core,
      resolved.entities,
      resolved.devices,
      Math.floor(startMicros / 1e6),
    );
    const clock = createEventClock(resolved.now, random, resolved.wholeSecondRatio);
    const mix = {
      ...resolved,
      userIds: this.core.userIds,
      userRatio: resolved.userContextRatio,
      parentRatio: resolved.parentContextRatio,
    };
    const emit = (event: BusEvent): void => {
      for (const listener of this.#listeners) listener(event);
    };
    this.machine = new StateMachine(random, clock, mix, emit);
    this.ops = new RegistryOps(this.core, this.machine, clock, mix, emit);
    for (const definition of definitions) {
      // The home has been running for a while: states changed within the last hour, some updated since.
      const changed = startMicros - 1_000_000 - Math.floor(random() * 3600e6);
      const updated =
        random() < 0.3 ? changed + Math.floor((startMicros - 1_000_000 - changed) * random()) : changed;
      const reported =
        random() < 0.3 ? updated + Math.floor((startMicros - 1_000_000 - updated) * random()) : updated;
      this.machine.seed(definition, definition.kind.initial(random, changed), changed, updated, reported);
    }
    while (clock.lastMicros < startMicros - 1) clock.nextMicros();
  }

  get floors() {
    return this.core.registries.floors;
  }
  get areas() {
    return this.core.registries.areas;
  }
  get devices() {
    return this.core.registries.devices;
  }
  get entities() {
    return this.core.registries.entities;
  }
  get configEntries() {
    return this.core.registries.configEntries;
  }
  get userIds() {
    return this.core.userIds;
  }

  /** Registers a fast-path listener for pre-serialized events. */
  listen(listener: (event: BusEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  entityIds(): string[] {
    return [...this.machine.records.keys()];
  }

  getState(entityId: string): HaState | undefined {
    const record = this.machine.records.get(entityId);
    return record === undefined ? undefined : (JSON.parse(fromWire(record.json)) as HaState);
  }

  states(): Map<string, HaState> {
    return new Map(
      [...this.machine.records].map(([id, record]) => [id, JSON.parse(fromWire(record.json)) as HaState]),
    );
  }

  entityContext(entityId: string): EntityContext | undefined {
    return entityContext(this.core.registries, entityId);
  }

  /** get_states result: the states' cached JSON joined, as HA joins `as_dict_json`. */
  statesJson(): string {
    const parts: string[] = [];
    for (const record of this.machine.records.values()) parts.push(record.json);
    return '[' + parts.join(',') + ']';
  }

  /** The first subscribe_entities event: `{"a":{…}}` with the compressed states that pass `filter`. */
  compressedStatesJson(filter: (entityId: string) => boolean): string {
    const parts: string[] = [];
    for (const [entityId, record] of this.machine.records)
      if (filter(entityId)) parts.push(compressedEntry(record));
    return '{"a":{' + parts.join(',') + '}}';
  }

  registryJson(which: 'floors' | 'areas' | 'devices' | 'entities'): string {
    return Registries.listJson(this.core.registries[which]);
  }

  randomChanges(count: number): number {
    checkInteger('count', count, 0);
    let fired = 0;
    for (let i = 0; i < count; i++) if (this.machine.randomStep()) fired++;
    return fired;
  }

  setState(
    entityId: string,
    state: string,
    attributes?: Readonly<Record<string, unknown>>,
    context?: ContextOverride,
  ): boolean {
    return this.machine.set(entityId, state, attributes ?? null, context);
  }

  addEntity(options: AddEntityOptions): string {
    return addEntity(this.core, this.machine, this.ops, options);
  }

  addDevice(options: AddDeviceOptions = {}): { deviceId: string; entityIds: string[] } {
    return addDevice(this.core, this.machine, this.ops, options);
  }

  removeEntity(entityId: string): void {
    this.ops.removeEntity(entityId);
  }
  removeDevice(deviceId: string): void {
    this.ops.removeDevice(deviceId);
  }
  renameDevice(deviceId: string, nameByUser: string | null): void {
    this.ops.renameDevice(deviceId, nameByUser);
  }
  moveDeviceToArea(deviceId: string, areaId: string | null): void {
    this.ops.moveDeviceToArea(deviceId, areaId);
  }
  renameEntity(entityId: string, newEntityId: string): void {
    this.ops.renameEntity(entityId, newEntityId);
  }
  setEntityName(entityId: string, name: string | null): void {
    this.ops.setEntityName(entityId, name);
  }
  moveEntityToArea(entityId: string, areaId: string | null): void {
    this.ops.moveEntityToArea(entityId, areaId);
  }
  addArea(name: string, floorId: string | null = null): string {
    return this.ops.addArea(name, floorId, null);
  }
  updateArea(areaId: string, change: { name?: string; floorId?: string | null }): void {
    this.ops.updateArea(areaId, change);
  }
  removeArea(areaId: string): void {
    this.ops.removeArea(areaId);
  }
  addFloor(name: string, level: number | null = null): string {
    return this.ops.addFloor(name, level, null);
  }
  removeFloor(floorId: string): void {
    this.ops.removeFloor(floorId);
  }

  fireEvent(eventType: string, data: unknown): void {
    if (typeof eventType !== 'string' || eventType.length === 0)
      throw new TypeError('Expected `eventType` to be a non-empty string');
    this.ops.fireJson(eventType, wireJson(data ?? null));
  }

  onEvent(listener: (event: HaEvent) => void): () => void {
    return this.listen((event) => {
      listener(JSON.parse(fromWire(eventJson(event))) as HaEvent);
    });
  }
}
