const MiB = 1_048_576;

/**
 * How large a record may be, end to end. The ingress (and the gateway)
 * refuse an event whose encoded record exceeds `maxRecordBytes` with a 413;
 * every platform topic takes record batches of up to `topicMaxMessageBytes`,
 * four times as much, so that what was accepted always fits the next hop
 * too: a redacted copy (placeholders can be longer than the values they
 * replace), a DLQ copy with its headers, a publish request of several
 * records. Broker-wide `message.max.bytes` can stay at Kafka's 1 MiB
 * default: the topic-level `max.message.bytes` is what applies, and
 * consumers since Kafka 0.10.1 fetch a batch larger than their fetch size.
 */
export const RECORD_LIMITS = {
  maxRecordBytes: 8 * MiB,
  topicMaxMessageBytes: 32 * MiB,
} as const;
