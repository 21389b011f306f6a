/** Test helpers shared by the libs' integration tests, the e2e suites and the benchmarks. */
export { getFreePort } from './ports.js';
export { startInfluxd } from './influxd.js';
export type { Influxd, InfluxdOptions, InfluxQueryResult } from './influxd.js';
export { createManualClock } from './manual-clock.js';
export type { ManualClock } from './manual-clock.js';
export { compileChildModules } from './child-modules.js';
export type { ChildModules } from './child-modules.js';
export { startInfluxV2Proxy } from './influx-v2-proxy.js';
export type { InfluxFault, InfluxV2Proxy, InfluxV2ProxyOptions } from './influx-v2-proxy.js';
export { runService, SERVICE_MAIN, startService, waitFor, waitSubscribed } from './service-process.js';
export type { ServiceProcess } from './service-process.js';
