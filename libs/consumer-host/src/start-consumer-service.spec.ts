import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { consumerServiceConfigSchema } from '@llmops/config';
import { MetricsServer, createLogger } from '@llmops/observability';
import { ConsumerHost } from './consumer-host';
import { defineConsumerService, resource, type ConsumerServiceContext } from './consumer-service';
import { startConsumerService } from './start-consumer-service';

const silent = createLogger('test', { level: 'silent' });
const config = consumerServiceConfigSchema.parse({ TOPIC_PREFIX: 't-', METRICS_PORT: '0' });

// No consumers: nothing here needs a broker (the Kafka client connects only when used).
describe('startConsumerService', () => {
  it('builds the service from its context, opens its resources, serves /metrics, and undoes it all on close', async () => {
    const steps: string[] = [];
    let seen: ConsumerServiceContext<typeof config> | undefined;
    const svc = defineConsumerService<typeof config>({
      name: 'test-consumer',
      build: (ctx) => {
        seen = ctx;
        return {
          resources: [
            resource(
              'store',
              async () => void steps.push('open'),
              async () => void steps.push('close'),
            ),
          ],
          consumers: [],
        };
      },
    });
    const app = await startConsumerService(svc, config, silent);
    expect(steps).toEqual(['open']);
    expect(seen?.topics.invocations).toBe('t-llmops.invocations.v1');
    expect(app.get(ConsumerHost)).toBeInstanceOf(ConsumerHost);

    const port = app.get(MetricsServer).port;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('service="test-consumer"');

    await app.close();
    expect(steps).toEqual(['open', 'close']);
    expect(app.get(MetricsServer).port).toBeUndefined();
  });

  it('rejects with the resource error and leaves nothing listening when a resource cannot open', async () => {
    const port = await freePort();
    const onPort = consumerServiceConfigSchema.parse({ METRICS_PORT: String(port) });
    const failing = defineConsumerService<typeof onPort>({
      name: 'test-consumer',
      build: () => ({
        resources: [
          resource('store', async () => {
            throw new Error('store refused the password');
          }),
        ],
        consumers: [],
      }),
    });
    await expect(startConsumerService(failing, onPort, silent)).rejects.toThrow(
      'store refused the password',
    );
    // The port is free again: the failed start closed its metrics endpoint.
    const app = await startConsumerService(
      defineConsumerService<typeof onPort>({ name: 'next', build: () => ({ consumers: [] }) }),
      onPort,
      silent,
    );
    expect(app.get(MetricsServer).port).toBe(port);
    await app.close();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
