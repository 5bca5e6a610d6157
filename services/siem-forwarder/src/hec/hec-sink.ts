import * as os from 'node:os';
import type { SecurityEvent } from '@llmops/contracts';
import type { ConsumedRecord } from '@llmops/kafka';
import { SIEM_DOCUMENTS, type SiemRecordFormat } from '@llmops/siem';
import type { Sink } from '../forwarder/sink';
import type { HecClient } from './hec-client';

export interface HecSinkOptions {
  body: SiemRecordFormat;
  sourcetype?: string;
  index?: string;
  batchMaxEvents: number;
  host?: string;
}

/**
 * Security events to Splunk HEC in batches of at most `batchMaxEvents`.
 * Each HEC event carries the record (OCSF by default) and the event's
 * stable id as the indexed field `llmops_event_id`, for dedupe in searches.
 */
export class HecSink implements Sink<string> {
  readonly name = 'hec' as const;
  private readonly sourcetype: string;
  private readonly host: string;

  constructor(
    readonly groupId: string,
    private readonly client: HecClient,
    private readonly opts: HecSinkOptions,
  ) {
    this.sourcetype = opts.sourcetype ?? `llmops:${opts.body}`;
    this.host = opts.host ?? os.hostname();
  }

  prepare(event: SecurityEvent): string {
    return JSON.stringify({
      time: event.time_ms / 1000,
      host: this.host,
      source: 'llmops',
      sourcetype: this.sourcetype,
      ...(this.opts.index ? { index: this.opts.index } : {}),
      event: SIEM_DOCUMENTS[this.opts.body](event),
      fields: {
        llmops_event_id: event.event_id,
        ...(event.tenant_id !== null ? { llmops_tenant_id: event.tenant_id } : {}),
      },
    });
  }

  async deliver(records: ConsumedRecord<string>[]): Promise<void> {
    for (let i = 0; i < records.length; i += this.opts.batchMaxEvents) {
      await this.client.send(records.slice(i, i + this.opts.batchMaxEvents).map((r) => r.value));
    }
  }

  stop(): Promise<void> {
    this.client.close();
    return Promise.resolve();
  }
}
