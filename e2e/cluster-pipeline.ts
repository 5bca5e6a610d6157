import type { Scope } from '@llmops/contracts';
import { topicNames } from '@llmops/contracts';
import { ApiKeyStore } from '@llmops/control-plane';
import { createKafka, ensureTopics, platformTopics } from '@llmops/kafka';
import type { Logger } from '@llmops/observability';
import { uniqueName, waitFor } from '@llmops/testing';
import { loadSinkConfig, startAnalyticsSink } from '../services/analytics-sink/src';
import { loadIngressConfig, startIngress } from '../services/ingress/src';
import { loadScannerConfig, startPiiScanner } from '../services/pii-scanner/src';
import { Pipeline, silent, type PipelineOptions } from './pipeline-harness';

export interface ClusterPipelineOptions extends PipelineOptions {
  /** Replicas of every topic; min.insync.replicas is min(2, this), as in production. */
  replicationFactor: number;
  /** The services' logger. @default silent */
  logger?: Logger;
}

/**
 * The pipeline of pipeline-harness on a Kafka cluster: the same services in this process, but
 * its fresh topics are made by the production code path (`platformTopics` + `ensureTopics`,
 * what `llmops topics ensure` runs) with the given replication factor, instead of with one
 * replica each.
 */
export class ClusterPipeline extends Pipeline {
  /** Every topic this pipeline created. */
  topicList: string[] = [];
  private store?: ApiKeyStore;

  constructor(private readonly clusterOptions: ClusterPipelineOptions) {
    super(clusterOptions);
  }

  override async start(): Promise<this> {
    const kafka = createKafka({
      brokers: this.clusterOptions.kafkaBrokers.split(','),
      clientId: 'e2e-cluster',
      logger: silent,
    });
    this.prefix = `${uniqueName('t')}.`;
    this.topics = topicNames(this.prefix);
    const specs = platformTopics(this.topics, {
      partitions: 3,
      replicationFactor: this.clusterOptions.replicationFactor,
      rawRetentionMs: 86_400_000,
    });
    this.topicList = specs.map((s) => s.name);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // kafkajs's createTopics waits for leaders by asking one broker and gives up when that
      // broker has not heard of a topic yet (UNKNOWN_TOPIC_OR_PARTITION, on a cluster);
      // ensureTopics is idempotent, so ask again.
      await waitFor(
        'the platform topics and their leaders',
        async () => (await ensureTopics(admin, specs)) && true,
        { timeoutMs: 60_000, intervalMs: 500 },
      );
    } finally {
      await admin.disconnect();
    }
    this.store = new ApiKeyStore(kafka, silent, this.topics.controlApiKeys);
    const env = this.env();
    this.ingress = await startIngress(loadIngressConfig(env), this.logger);
    this.url = (await this.ingress.getUrl()).replace('[::1]', '127.0.0.1');
    this.scanner = await startPiiScanner(loadScannerConfig(env), this.logger);
    if (this.clusterOptions.withSink !== false) await this.startSink();
    return this;
  }

  override async startSink(): Promise<void> {
    this.sink = await startAnalyticsSink(loadSinkConfig(this.env()), this.logger);
  }

  private get logger(): Logger {
    return this.clusterOptions.logger ?? silent;
  }

  override async key(tenant: string, scopes: Scope[] = ['ingest', 'query']): Promise<string> {
    const { key } = await this.store!.create({ tenant, scopes });
    await waitFor(
      'the ingress to load the new API key',
      async () => (await this.post(key, [])).status !== 401,
    );
    return key;
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.store?.stop();
  }
}
