/** Unit tests sit beside the code; integration suites boot the compiled app (run `npm run build:server` first, as `npm test` does). */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts', '<rootDir>/plugins/*/server/src/**/*.test.ts', '<rootDir>/tests/integration/**/*.test.ts'],
  // Several application instances need a database server (and the crash drill restarts it): those suites run in the PostgreSQL pass.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', ...(process.env.TEST_DB === 'postgres' ? [] : ['/tests/integration/multi-instance', '/tests/integration/crash-safety'])],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tmp/'],
  // One seeded database per demo size per run, copied for each suite (tests/helpers/app.ts).
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
  testTimeout: 120000,
};
