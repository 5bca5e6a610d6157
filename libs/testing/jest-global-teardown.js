// Stops Testcontainers started by the global setup; a local native stack is left running for the next run.
module.exports = async () => {
  await require('@llmops/testing').releaseTestEndpoints();
};
