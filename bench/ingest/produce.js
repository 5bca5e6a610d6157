'use strict';
// The raw-produce baseline of the ingest benchmark, in its own process
// (forked by run.js): kafkajs writing the very records the ingress writes
// (the same event turned into the same Avro bytes, the same key shape and
// headers) straight to the same topic, idempotent and acks=all, from the
// same number of concurrent senders, each sending one request's worth of
// events (1 or 100) and waiting for the acknowledgement before the next.
// No HTTP, no JSON, no auth, no validation: what Kafka and kafkajs cost.
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const { summarize } = require('./load');

const ROOT = path.resolve(__dirname, '../..');

/** The Avro record the ingress makes of the sample event, with the ingress's own code. */
function sampleRecord(tenant) {
  const { toInvocation } = require(path.join(ROOT, 'services/ingress/dist/events/event-input'));
  const { invocationCodec } = require('@llmops/contracts');
  const { sampleEvent } = require('./payload');
  const errors = [];
  const invocation = toInvocation(sampleEvent(), tenant, Date.now(), '', errors);
  if (errors.length > 0) throw new Error(`sample event invalid: ${JSON.stringify(errors)}`);
  return invocationCodec.encode(invocation);
}

/**
 * @param {{ brokers: string, topic: string, eventsPerRequest: number,
 *           connections: number, warmupMs: number, durationMs: number }} o
 */
async function runProduce(o) {
  const { Kafka, Partitioners, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    brokers: o.brokers.split(','),
    clientId: 'bench-raw-produce',
    logLevel: logLevel.ERROR,
  });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const value = sampleRecord('bench');
  // A fresh trace id per event, as the ingress generates one for events without it.
  const message = () => {
    const id = `${randomUUID().replace(/-/g, '')}`;
    return {
      key: `bench/${id}`,
      value,
      headers: { 'llmops-event-id': randomUUID(), 'llmops-tenant': 'bench' },
    };
  };
  const latenciesMs = [];
  let produced = 0;
  const start = performance.now();
  const windowStart = start + o.warmupMs;
  const windowEnd = windowStart + o.durationMs;
  const sender = async () => {
    while (performance.now() < windowEnd) {
      const messages = Array.from({ length: o.eventsPerRequest }, message);
      const t0 = performance.now();
      await producer.send({ topic: o.topic, acks: -1, messages });
      const t1 = performance.now();
      produced += messages.length;
      if (t1 >= windowStart && t1 < windowEnd) latenciesMs.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: o.connections }, sender));
  await producer.disconnect();
  return summarize(latenciesMs, o, {
    statuses: { 202: latenciesMs.length },
    transportErrors: 0,
    acceptedEvents: produced,
    recordBytes: value.length,
  });
}

if (require.main === module) {
  process.once('message', (msg) => {
    runProduce(msg).then(
      (result) => process.send({ result }, () => process.exit(0)),
      (err) =>
        process.send({ error: String(err && err.stack ? err.stack : err) }, () => process.exit(1)),
    );
  });
}

module.exports = { runProduce };
