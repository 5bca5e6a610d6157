import type { INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  connection,
  consumer,
  defineConsumerService,
  resource,
  startConsumerService,
} from '@llmops/consumer-host';
import { invocationCodec } from '@llmops/contracts';
import { EventPublisher } from '@llmops/kafka';
import type { Logger } from '@llmops/observability';
import { BudgetStore, PriceBook, UsageKeys, loadPriceFile } from '@llmops/pricing';
import { Accountant, countScript } from './accounting/accountant';
import type { AccountantConfig } from './config/accountant-config';

/**
 * Token and cost counters and budgets in Redis, threshold events to Kafka.
 * Reads the raw invocations topic, not the redacted one: counters need only
 * ids and numbers (never text), and the raw topic is written first, so usage
 * and budget state do not wait for (or depend on) the pii-scanner. Offsets
 * are committed only after the counting script and the budget events
 * succeeded (at-least-once; the script's dedupe makes it effectively once).
 */
export const tokenAccountant = defineConsumerService<AccountantConfig>({
  name: 'token-accountant',
  build: ({ config, kafka, logger, topics, registry }) => {
    const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const publisher = new EventPublisher(kafka, logger);
    const budgets = new BudgetStore(kafka, logger, topics.controlBudgets);
    const prices = new PriceBook(
      undefined,
      config.PRICING_FILE ? loadPriceFile(config.PRICING_FILE) : [],
    );
    const accountant = new Accountant(
      redis,
      new UsageKeys(config.REDIS_KEY_PREFIX),
      prices,
      budgets,
      publisher,
      topics,
      logger,
      registry,
      { dedupeTtlS: config.ACCOUNTANT_DEDUPE_TTL_S },
    );
    return {
      resources: [
        resource(
          'redis',
          async () => {
            await redis.connect();
            await countScript.load(redis);
          },
          () => redis.quit(),
        ),
        resource(
          'budget store',
          () => budgets.start(),
          () => budgets.stop(),
        ),
        connection('kafka publisher', publisher),
      ],
      consumers: [
        consumer({
          topic: topics.invocations,
          groupId: config.ACCOUNTANT_GROUP_ID,
          decode: invocationCodec,
          handle: (records) => accountant.handle(records),
          // The counting script is atomic per call, so partitions need no ordering between them.
          partitionsConcurrently: config.ACCOUNTANT_PARTITIONS_CONCURRENTLY,
        }),
      ],
    };
  },
});

/** Starts the token-accountant; `close()` on the result drains and disconnects. */
export function startTokenAccountant(
  config: AccountantConfig,
  logger?: Logger,
): Promise<INestApplicationContext> {
  return startConsumerService(tokenAccountant, config, logger);
}
