// ESM + ts-jest: run with NODE_OPTIONS=--experimental-vm-modules (see package.json).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  collectCoverageFrom: ['src/**/*.ts', '!src/index.ts'],
  coverageReporters: ['text-summary'],
  // CI runs with --coverage: src/ must keep 90% of its lines tested.
  coverageThreshold: { global: { lines: 90 } },
  // Two workers a core: the end-to-end suites spend most of their time waiting on the bundle's
  // processes, and each suite has its own ports and folders.
  maxWorkers: '200%',
  // A test's own bounds are in the harness (45 s per run of the bundle) and in its assertions;
  // this only keeps a busy machine (several bundle runs a test, four workers on two cores) from
  // failing a test that is merely slow.
  testTimeout: 120000
}
