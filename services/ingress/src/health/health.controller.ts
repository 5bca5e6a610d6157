import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { EventPublisher } from '@llmops/kafka';
import { KAFKA, METRICS } from '../infra/tokens';

const READY_TIMEOUT_MS = 2_000;

@Controller()
export class HealthController {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
    @Inject(METRICS) private readonly registry: Registry,
  ) {}

  /** The process is up. */
  @Get('healthz')
  @HttpCode(200)
  healthz() {
    return { status: 'ok' };
  }

  /** Ready to accept events: Kafka answers a metadata request and the producer is connected. */
  @Get('readyz')
  async readyz(@Res() reply: FastifyReply) {
    const kafka = await this.kafkaReachable();
    const ready = kafka === 'ok' && this.publisher.isConnected();
    await reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not_ready',
      checks: { kafka, producer: this.publisher.isConnected() ? 'ok' : 'disconnected' },
    });
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  async metrics() {
    return this.registry.metrics();
  }

  private async kafkaReachable(): Promise<string> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)),
          READY_TIMEOUT_MS,
        );
      });
      await Promise.race([admin.connect().then(() => admin.describeCluster()), timeout]);
      return 'ok';
    } catch (err) {
      return `unreachable: ${(err as Error).message}`;
    } finally {
      clearTimeout(timer);
      void admin.disconnect().catch(() => undefined);
    }
  }
}
