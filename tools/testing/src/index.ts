/** Test helpers shared by the libs' integration tests, the e2e suites and the benchmarks. */
export { getFreePort } from './ports.js';
export { startInfluxd } from './influxd.js';
export type { Influxd, InfluxdOptions, InfluxQueryResult } from './influxd.js';
export { startInfluxd2 } from './influxd2.js';
export type { Influxd2, Influxd2Options, TokenPermissions } from './influxd2.js';
export { INSTALL_INFLUX_COMMAND, influxRelease, influxServerBinary } from './server-binaries.js';
export type { InfluxServerVersion } from './server-binaries.js';
export { parseFluxCsv } from './flux-csv.js';
export { createManualClock } from './manual-clock.js';
export type { ManualClock } from './manual-clock.js';
export { compileChildModules } from './child-modules.js';
export type { ChildModules } from './child-modules.js';
export { startFaultProxy } from './fault-proxy.js';
export type { FaultProxy, FaultProxyOptions, InfluxFault } from './fault-proxy.js';
export { runService, SERVICE_MAIN, startService, waitFor, waitSubscribed } from './service-process.js';
export type { ServiceProcess } from './service-process.js';
export { startReal18, startReal28 } from './real-servers.js';
export type { RealServer, V2Target } from './real-servers.js';
