/**
 * Fault scenarios run real processes (influxd, the service) against the in-process HA simulator, and count
 * what arrived: one file at a time, so no scenario's load skews another's timing on a small machine.
 * @type {import('jest').Config}
 */
module.exports = { ...require('../../jest.preset.cjs'), rootDir: __dirname, maxWorkers: 1 };
