import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TopicNames } from '@llmops/contracts';
import { ApiKeyStore } from '@llmops/control-plane';
import { createKafka } from '@llmops/kafka';
import { createLogger } from '@llmops/observability';
import { createPlatformTopics, testEndpoints, waitFor } from '@llmops/testing';
import { loadIngressConfig, startIngress } from '../src';

export const silent = createLogger('test', { level: 'silent' });

export interface IngressHarness {
  app: NestFastifyApplication;
  url: string;
  topics: TopicNames;
  keys: ApiKeyStore;
  key(tenant: string, scopes: Array<'ingest' | 'query' | 'admin' | 'gateway'>): Promise<string>;
  close(): Promise<void>;
}

/** An ingress on a random port over fresh topics of the test cluster. */
export async function startHarness(
  env: Record<string, string> = {},
  logger = silent,
): Promise<IngressHarness> {
  const brokers = env.KAFKA_BROKERS ?? testEndpoints().kafkaBrokers;
  const kafka = createKafka({
    brokers: brokers.split(','),
    clientId: 'ingress-test',
    logger: silent,
  });
  const { prefix, topics } = await createPlatformTopics(kafka);
  const keys = new ApiKeyStore(kafka, silent, topics.controlApiKeys);
  const config = loadIngressConfig({
    KAFKA_BROKERS: brokers,
    TOPIC_PREFIX: prefix,
    INGRESS_PORT: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await startIngress(config, logger);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    url,
    topics,
    keys,
    // Written to the control topic; waits until the running ingress has read it from there.
    key: async (tenant, scopes) => {
      const { key } = await keys.create({ tenant, scopes });
      await waitFor(
        'the ingress to load the new API key',
        async () => (await post(url, key, [])).status !== 401,
      );
      return key;
    },
    close: async () => {
      await app.close();
      await keys.stop();
    },
  };
}

export function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    app_id: 'support-bot',
    operation: 'chat',
    provider_name: 'openai',
    request_model: 'gpt-4o',
    start_time_ms: Date.now() - 1_000,
    usage: { input_tokens: 12, output_tokens: 30 },
    input_messages: [{ role: 'user', content: 'Write to jane.doe@example.com about order 12345' }],
    ...overrides,
  };
}

export async function post(
  url: string,
  key: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, headers: res.headers, text };
}
