// Jest globalSetup of every integration project: resolves the Kafka, Redis and
// ClickHouse endpoints once (environment, else Testcontainers, else the local
// native stack) and exports them as KAFKA_BROKERS / REDIS_URL / CLICKHOUSE_URL
// for the test workers, which inherit this process's environment.
// It loads the built library: `npm test` builds first; after editing libs/stack
// or libs/testing by hand, run `npm run build`.
module.exports = async () => {
  let testing;
  try {
    testing = require('@llmops/testing');
  } catch (err) {
    throw new Error(
      `integration tests need the built @llmops/testing library (${err.message}); run \`npm run build\` first`,
    );
  }
  await testing.provideTestEndpoints();
};
