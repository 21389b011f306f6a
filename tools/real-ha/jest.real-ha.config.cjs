/**
 * The real-HA suite: installs (or reuses) the pinned Home Assistant, starts it, and drives it for real.
 * Minutes, not seconds; run by `nx run real-ha:test-real-ha`, never by the default `npm test`.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('../../jest.preset.cjs'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.real-ha.test.ts'],
  testTimeout: 300_000,
};
