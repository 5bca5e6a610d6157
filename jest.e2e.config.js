// The end-to-end suite: the whole pipeline (ingress → Kafka → pii-scanner →
// analytics-sink → ClickHouse) against real servers. Run by `npm test`.
const path = require('node:path');
const preset = require('./jest.preset')(path.join(__dirname, 'e2e'));
const int = preset.projects.find((p) => p.displayName === 'int');

module.exports = {
  reporters: preset.reporters,
  testTimeout: 300_000,
  projects: [
    { ...int, displayName: 'e2e', testMatch: ['<rootDir>/**/*.e2e-spec.ts'], testTimeout: 300_000 },
  ],
};
