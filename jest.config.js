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
  testTimeout: 60000
}
