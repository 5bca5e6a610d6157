import { Inject, Injectable } from '@nestjs/common';
import type { Registry } from 'prom-client';
import {
  RECORD_LIMITS,
  topicNames,
  invocationCodec,
  invocationKey,
  type FieldError,
  type Invocation,
  type LimitCheckOptions,
} from '@llmops/contracts';
import { ConfigService } from '@llmops/config';
import {
  EventPublisher,
  PublishRejectedError,
  PublishUnavailableError,
  messageBytes,
} from '@llmops/kafka';
import { Counter, type Logger } from '@llmops/observability';
import type { IngressConfig } from '../config/ingress-config';
import { ApiError } from '../http/api-error';
import { LOGGER, METRICS } from '../infra/tokens';
import { toInvocation } from './event-input';

/** Seconds a client should wait before retrying when Kafka is unavailable. */
const RETRY_AFTER_S = '5';

@Injectable()
export class EventsService {
  private readonly accepted: Counter<'tenant'>;
  private readonly rejected: Counter<'reason'>;
  private readonly topic: string;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly config: ConfigService<IngressConfig>,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) registry: Registry,
  ) {
    this.topic = topicNames(config.get('TOPIC_PREFIX')).invocations;
    this.accepted = new Counter({
      name: 'llmops_ingress_events_accepted_total',
      help: 'Events acknowledged by Kafka and answered 202',
      labelNames: ['tenant'],
      registers: [registry],
    });
    this.rejected = new Counter({
      name: 'llmops_ingress_events_rejected_total',
      help: 'Requests refused, by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
  }

  /**
   * Validates one event or a batch (all or nothing) and resolves once Kafka
   * acknowledged every record; only then may the caller answer 202.
   */
  async ingest(body: unknown, tenant: string, checks: LimitCheckOptions = {}): Promise<string[]> {
    const batch = Array.isArray(body);
    const items: unknown[] = batch ? body : [body];
    const max = this.config.get('INGRESS_MAX_BATCH_EVENTS');
    if (body === undefined) {
      this.rejected.inc({ reason: 'empty' });
      throw new ApiError(
        400,
        'empty_body',
        'send one invocation event as a JSON object, or a batch as a JSON array of them',
      );
    }
    if (items.length === 0)
      throw new ApiError(400, 'empty_batch', 'the batch is empty; send at least one event');
    if (items.length > max) {
      this.rejected.inc({ reason: 'batch_too_large' });
      throw new ApiError(
        413,
        'batch_too_large',
        `the batch has ${items.length} events; at most ${max} are accepted per request`,
      );
    }
    const now = Date.now();
    const errors: FieldError[] = [];
    const events = items.map((item, i) =>
      toInvocation(item, tenant, now, batch ? `[${i}]` : '', errors, checks),
    );
    if (batch) duplicateIdErrors(events, errors);
    if (errors.length > 0) {
      this.rejected.inc({ reason: 'invalid' });
      const shown = errors.slice(0, 100);
      throw new ApiError(
        400,
        'invalid_event',
        `${errors.length} field${errors.length === 1 ? '' : 's'} invalid; nothing was accepted: ${shown
          .slice(0, 3)
          .map((e) => `${e.path}: ${e.message}`)
          .join('; ')}`,
        shown,
      );
    }
    await this.publish(events as Invocation[], tenant, batch);
    this.accepted.inc({ tenant }, events.length);
    return events.map((e) => e!.event_id);
  }

  private async publish(events: Invocation[], tenant: string, batch: boolean): Promise<void> {
    const messages = events.map((e) => ({
      key: invocationKey(e.tenant_id, e.trace_id),
      value: invocationCodec.encode(e),
      headers: { 'llmops-event-id': e.event_id, 'llmops-tenant': e.tenant_id },
    }));
    this.refuseOversized(messages, batch);
    try {
      await this.publisher.publish(this.topic, messages);
    } catch (err) {
      if (err instanceof PublishRejectedError)
        throw this.rejectedByKafka(err, tenant, events.length);
      if (!(err instanceof PublishUnavailableError)) throw err;
      this.rejected.inc({ reason: 'kafka_unavailable' });
      this.logger.warn(
        { tenant, events: events.length, err },
        'events not accepted: Kafka unavailable',
      );
      throw unavailable(err.message);
    }
  }

  /** Every record must fit the pipeline's topics: refuse at the door what could not travel. */
  private refuseOversized(
    messages: Array<Parameters<typeof messageBytes>[0]>,
    batch: boolean,
  ): void {
    const limit = RECORD_LIMITS.maxRecordBytes;
    const index = messages.findIndex((m) => messageBytes(m) > limit);
    if (index < 0) return;
    this.rejected.inc({ reason: 'event_too_large' });
    const size = messageBytes(messages[index]!);
    throw new ApiError(
      413,
      'event_too_large',
      `${batch ? `event [${index}]` : 'the event'} is ${size} bytes as a record; one event may be at most ${limit} bytes (${limit / 1_048_576} MiB). Nothing was accepted. Shorten or split its content`,
      [
        {
          path: batch ? `[${index}]` : '',
          message: `${size} bytes as a record; the limit is ${limit}`,
        },
      ],
    );
  }

  /** Kafka refused for good: the record's size is the client's to fix, anything else is ours. */
  private rejectedByKafka(err: PublishRejectedError, tenant: string, events: number): ApiError {
    if (err.fault === 'record') {
      this.rejected.inc({ reason: 'kafka_refused_record' });
      this.logger.warn({ tenant, events, err }, 'events not accepted: Kafka refused the records');
      return new ApiError(
        413,
        'event_too_large',
        `Kafka refused the events (${err.kafkaType ?? 'record refused'}); nothing was accepted. One event may be at most ${RECORD_LIMITS.maxRecordBytes} bytes as a record`,
      );
    }
    this.rejected.inc({ reason: 'kafka_deployment_fault' });
    this.logger.error(
      { tenant, events, err, fix: err.hint },
      `events not accepted: Kafka refused the write (${err.kafkaType ?? 'deployment fault'}); ${err.hint ?? 'check the Kafka deployment'}`,
    );
    return unavailable(
      'Kafka refused the write because of a deployment fault; the operators are alerted',
    );
  }
}

/**
 * Two events of one batch with the same event_id: downstream dedupe would
 * keep one and drop the other in silence, so the batch is refused instead.
 */
function duplicateIdErrors(events: Array<Invocation | undefined>, errors: FieldError[]): void {
  const first = new Map<string, number>();
  events.forEach((e, i) => {
    if (!e) return;
    const seen = first.get(e.event_id);
    if (seen === undefined) first.set(e.event_id, i);
    else errors.push({ path: `[${i}].event_id`, message: `repeats the event_id of [${seen}]` });
  });
}

function unavailable(reason: string): ApiError {
  return new ApiError(
    503,
    'kafka_unavailable',
    `events were not accepted: ${reason}. Retry after ${RETRY_AFTER_S} s with the same event_id values to stay idempotent`,
    undefined,
    { 'retry-after': RETRY_AFTER_S },
  );
}
