// ESM mode (run with NODE_OPTIONS=--experimental-vm-modules): PGlite, bullmq and the
// Bitrix24 SDK all load cleanly this way, while CommonJS mode cannot load some of them.
// TypeScript goes through @swc/jest (no type-checking here; `npm test` runs tsc first).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  testTimeout: 60000,
  // Three on two cores: the suite mostly waits (on mail, queues, the sandbox, browsers), so a third
  // file in flight uses the time the other two spend waiting.
  maxWorkers: 3,
};
