/**
 * The default `npm test` part: fast, no Python. The suites that need a real Home Assistant
 * (`*.real-ha.test.ts`) run only through jest.real-ha.config.cjs (`nx run real-ha:test-real-ha`).
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('../../jest.preset.cjs'),
  rootDir: __dirname,
  testPathIgnorePatterns: ['/node_modules/', '\\.real-ha\\.test\\.ts$'],
};
