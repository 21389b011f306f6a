/** @homeiq/runtime/testing: the fakes of the runtime primitives, for the tests of every lib and service. */
export { ManualClock, settle } from './manual-clock.js';
export type { PendingTimer } from './manual-clock.js';
