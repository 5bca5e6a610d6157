import type { Kafka } from 'kafkajs';

/**
 * Fails, saying what to do, unless `topic` exists: without its control topic a service has
 * nothing to serve from, and reading a missing topic would only time out. `what` names the
 * state for the message ("the gateway's upstreams and routes").
 */
export async function requireControlTopic(
  kafka: Kafka,
  topic: string,
  what: string,
): Promise<void> {
  const admin = kafka.admin();
  let topics: string[];
  try {
    await admin.connect();
    topics = await admin.listTopics();
  } catch (err) {
    throw new Error(
      `${what} cannot be loaded: Kafka did not answer (${(err as Error).message}); check KAFKA_BROKERS`,
      { cause: err },
    );
  } finally {
    await admin.disconnect();
  }
  if (!topics.includes(topic))
    throw new Error(
      `the control topic ${topic} (${what}) does not exist; create the platform topics with \`llmops topics ensure\` (npm start does it)`,
    );
}
