/** @homeiq/ha-sim: a Home Assistant WebSocket API simulator for tests, the demo and benchmarks. */
export { createHomeModel } from './model/home-model.js';
export type { AddDeviceOptions, AddEntityOptions, HomeModel } from './model/home-model-api.js';
export type { HomeModelOptions } from './model/home-options.js';
export type { EntityContext } from './model/entity-context.js';
export type { EntityKindName } from './model/kind-names.js';
export type { DeviceTemplateName } from './model/catalog.js';
export type {
  HaAreaEntry,
  HaConfigEntry,
  HaContext,
  HaDeviceEntry,
  HaEntityEntry,
  HaEvent,
  HaFloorEntry,
  HaState,
  HaStateChangedData,
} from './model/wire-types.js';
export { startHaSim } from './server/sim.js';
export type { HaSim, HaSimConnectionInfo, RestartOptions } from './server/sim-api.js';
export type { HaSimOptions } from './server/options.js';
export type {
  HaSimRecorder,
  HistoryAnswerStats,
  RecordedState,
  RecorderExclude,
  RecorderOptions,
  ResolvedRecorderOptions,
} from './server/recorder/recorder-options.js';
export type { SeedHistoryOptions } from './server/recorder/seed-history.js';
export type { AuthMode, CoreState, DropReason, HaSimStats } from './server/sim-state.js';
export type { StreamHandle, StreamOptions } from './server/stream.js';
export type { SimTimers } from './server/timers.js';
