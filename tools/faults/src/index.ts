/** @homeiq/faults: the harness the fault scenarios share (the scenarios are the `*.test.ts` files beside it). */
export { startDriver } from './harness/driver.js';
export type { Driver, DriverOptions } from './harness/driver.js';
export { createFlapper } from './harness/flapper.js';
export type { FlapKind, Flapper, FlapperOptions } from './harness/flapper.js';
export { createLedger, isoToEpochNs } from './harness/ledger.js';
export type { Ledger, SentEvent } from './harness/ledger.js';
export { LONG, pick, scenarioTimeoutMs } from './harness/mode.js';
export { between, seededRandom } from './harness/random.js';
export { formatCounts, printReport } from './harness/report.js';
export type { ReportLine } from './harness/report.js';
export { MEASUREMENT, SERVICE_SUBSCRIPTIONS, startRig } from './harness/rig.js';
export type { Rig, RigOptions, Row } from './harness/rig.js';
export { parseMetrics, readHealth, readMetrics } from './harness/service-api.js';
export type { Health, MetricSample, Metrics } from './harness/service-api.js';
export { settle } from './harness/settle.js';
export { compareDelivery, deliveryProblems } from './harness/verify.js';
export type { DeliveryReport } from './harness/verify.js';
