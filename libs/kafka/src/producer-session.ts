import type {
  Kafka,
  Message,
  PartitionerArgs,
  Producer,
  ProducerConfig,
  TopicMessages,
} from 'kafkajs';
import type { Logger } from '@llmops/observability';
import { PublishUnavailableError, isProducerStateError } from './errors';
import { KeyHashPartitioner } from './partitioner';

/** How often one request's unacknowledged partitions are sent again before giving up. */
const MAX_RESENDS = 5;

/**
 * An idempotent, acks=all kafkajs producer that checks what Kafka
 * acknowledged instead of trusting `sendBatch` to have sent everything.
 *
 * kafkajs 2.2.4 keeps each broker's answer across its own retries within one
 * `sendBatch`: when a partition's leader moves to a broker that had already
 * answered for other partitions, that partition's records are never sent,
 * and `sendBatch` still resolves (kafkajs issue #1303). Here every message's
 * partition is recorded as it is chosen, the result is checked for every
 * partition written to, and the records of partitions missing from it are
 * sent again in a new request. On a producer-state error the producer is
 * replaced before the next request.
 */
export class ProducerSession {
  private producer: Producer;
  private readonly assigned = new WeakMap<Message, number>();
  private stale = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger | undefined,
    private readonly config: Omit<ProducerConfig, 'createPartitioner' | 'idempotent'> = {},
  ) {
    this.producer = this.create();
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /**
   * Resolves once Kafka acknowledged every message of `topicMessages`
   * (acks=all), sending again what a request left out.
   */
  async send(topicMessages: TopicMessages[]): Promise<void> {
    if (this.stale) await this.replace();
    let pending = topicMessages;
    for (let attempt = 0; ; attempt++) {
      let acked: Set<string>;
      try {
        const result = await this.producer.sendBatch({ acks: -1, topicMessages: pending });
        acked = new Set(result.map((r) => `${r.topicName}\u0000${r.partition}`));
      } catch (err) {
        if (isProducerStateError(err)) this.stale = true;
        throw err;
      }
      pending = pending
        .map(({ topic, messages }) => ({
          topic,
          messages: messages.filter((m) => !acked.has(`${topic}\u0000${this.assigned.get(m)}`)),
        }))
        .filter((t) => t.messages.length > 0);
      if (pending.length === 0) return;
      const missing = pending.reduce((n, t) => n + t.messages.length, 0);
      if (attempt >= MAX_RESENDS) {
        throw new PublishUnavailableError(
          `Kafka did not acknowledge ${missing} records after ${MAX_RESENDS} resends`,
        );
      }
      this.logger?.warn(
        { missing, topics: pending.map((t) => t.topic), attempt: attempt + 1 },
        'Kafka acknowledged only part of a produce request; sending the rest again',
      );
    }
  }

  private create(): Producer {
    return this.kafka.producer({
      ...this.config,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // kafkajs's default placement (murmur2 of the key), recording each message's partition.
      createPartitioner: () => {
        const place = KeyHashPartitioner();
        return (args: PartitionerArgs) => {
          const partition = place(args);
          this.assigned.set(args.message, partition);
          return partition;
        };
      },
    });
  }

  private async replace(): Promise<void> {
    const old = this.producer;
    this.producer = this.create();
    this.stale = false;
    this.logger?.warn(
      'replacing the Kafka producer: its idempotence state no longer matched the broker',
    );
    await old.disconnect().catch(() => undefined);
    await this.producer.connect();
  }
}
