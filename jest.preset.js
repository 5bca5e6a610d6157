// Shared Jest setup: unit tests (*.spec.ts beside the code) and integration
// tests (test/*.int-spec.ts, real servers) as two Jest projects per Nx project.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias}$`,
    path.join(__dirname, target),
  ]),
);

const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.base.json') }],
};

module.exports = (rootDir) => ({
  // Also here: Jest reads testTimeout from the top-level config, not from each project.
  testTimeout: 120_000,
  reporters: ['default', path.join(__dirname, 'libs/testing/jest-count-reporter.js')],
  projects: [
    {
      displayName: 'unit',
      rootDir,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'int',
      rootDir,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
      transform,
      moduleNameMapper,
      testTimeout: 120_000,
      globalSetup: path.join(__dirname, 'libs/testing/jest-global-setup.js'),
      globalTeardown: path.join(__dirname, 'libs/testing/jest-global-teardown.js'),
    },
  ],
});
