import { securityEventCodec, type SecurityEvent } from '@llmops/contracts';
import { testEndpoints, testKafka, uniqueName, waitFor } from '@llmops/testing';
import type { Consumer } from 'kafkajs';
import { Pipeline, piiEvent } from './pipeline-harness';

/**
 * Enforcement happens before a model is called, never by losing the record
 * of a call that already happened: an over-budget invocation is accepted,
 * counted and reported to the SOC; the pre-flight check then denies.
 */
describe('an invocation over its budget', () => {
  let p: Pipeline;
  let consumer: Consumer;
  const soc: SecurityEvent[] = [];

  beforeAll(async () => {
    const e = testEndpoints();
    p = await new Pipeline({
      kafkaBrokers: e.kafkaBrokers,
      clickhouseUrl: e.clickhouseUrl,
    }).start();
    // Counters, dedupe marks and budget claims under the pipeline's own Redis prefix.
    await p.startAccountant();
    consumer = testKafka().consumer({ groupId: uniqueName('t-soc'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: p.topics.securityEvents, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void soc.push(securityEventCodec.decode(message.value!)),
    });
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await p?.stop();
  });

  it('is accepted, counted and reported as a breach, and the pre-flight check then answers 429', async () => {
    const key = await p.key('acme', ['ingest', 'query', 'admin']);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const budget = await fetch(`${p.url}/v1/budgets`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        budget_id: 'tiny',
        scope: 'app',
        scope_value: 'support-bot',
        period: 'day',
        unit: 'tokens',
        limit: 1000,
      }),
    });
    expect(budget.status).toBe(201);
    const allowed = await fetch(`${p.url}/v1/budgets/check`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ app_id: 'support-bot' }),
    });
    expect(allowed.status).toBe(200);

    const over = piiEvent({
      start_time_ms: Date.now(),
      usage: { input_tokens: 1500, output_tokens: 100 },
    });
    const posted = await p.post(key, over);
    expect(posted.status).toBe(202); // the record of a call that happened is never refused

    await waitFor('the breach on the security topic', () =>
      soc.find((e) => e.category === 'budget_limit_breach' && e.budget?.budget_id === 'tiny'),
    );
    const usage = (await (
      await fetch(`${p.url}/v1/usage?group_by=app&period=day`, { headers })
    ).json()) as {
      total: { requests: number; input_tokens: number; output_tokens: number };
    };
    expect(usage.total).toMatchObject({ requests: 1, input_tokens: 1500, output_tokens: 100 });

    const denied = await fetch(`${p.url}/v1/budgets/check`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ app_id: 'support-bot' }),
    });
    expect(denied.status).toBe(429);
    const body = (await denied.json()) as {
      error: { code: string; budget: { budget_id: string; exceeded: boolean } };
    };
    expect(body.error.code).toBe('budget_exceeded');
    expect(body.error.budget).toMatchObject({ budget_id: 'tiny', exceeded: true });
    await p.waitForRows(1); // and the invocation itself is kept for analytics
  });
});
