/**
 * Shared Jest settings. Tests import TypeScript source: swc strips types (no type checking here;
 * `npm run typecheck` does that) and `@homeiq/*` resolves to each package's `src/index.ts`.
 * @type {import('jest').Config}
 */
module.exports = {
  // Node's environment, which also kills any child process a failing test left running (a hang, otherwise).
  testEnvironment: '<rootDir>/../../tools/testing/jest-environment.cjs',
  // Library shells awaiting their issue have no tests yet; every filled project has its own.
  passWithNoTests: true,
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleNameMapper: {
    '^@homeiq/(ha-sim|testing)$': '<rootDir>/../../tools/$1/src/index.ts',
    '^@homeiq/([a-z-]+)$': '<rootDir>/../../libs/$1/src/index.ts',
    '^@homeiq/([a-z-]+)/testing$': '<rootDir>/../../libs/$1/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};
