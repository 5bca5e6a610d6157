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

// Packages that ship ES modules only (libs/guardrails' expression check uses cel-js). Node 24
// loads them with require(esm), but Jest's CommonJS runtime does so only under
// --experimental-vm-modules, so Jest compiles them to CommonJS instead.
const esmOnly = ['@marcbachmann/cel-js'];

const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.base.json') }],
  [`/node_modules/(?:${esmOnly.join('|')})/.+\\.js$`]: [
    'babel-jest',
    { babelrc: false, configFile: false, plugins: ['@babel/plugin-transform-modules-commonjs'] },
  ],
};
const transformIgnorePatterns = [`/node_modules/(?!(?:${esmOnly.join('|')})/)`];

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
      transformIgnorePatterns,
      moduleNameMapper,
    },
    {
      displayName: 'int',
      rootDir,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
      testTimeout: 120_000,
      globalSetup: path.join(__dirname, 'libs/testing/jest-global-setup.js'),
      globalTeardown: path.join(__dirname, 'libs/testing/jest-global-teardown.js'),
    },
  ],
});
