import { randomUUID } from 'node:crypto';
import { invocationCodec } from '@llmops/contracts';
import { readMessages, testKafka, waitFor } from '@llmops/testing';
import { event, post, startHarness, type IngressHarness } from './ingress-harness';

describe('POST /v1/events', () => {
  let h: IngressHarness;
  let ingestKey: string;

  beforeAll(async () => {
    h = await startHarness({
      INGRESS_MAX_BODY_BYTES: '65536',
      INGRESS_MAX_BATCH_EVENTS: '50',
      INGRESS_MAX_JSON_DEPTH: '16',
    });
    ingestKey = await h.key('acme', ['ingest']);
  });
  afterAll(() => h.close());

  it('answers 202 with the event id only after the record is on the raw topic, tenant from the key', async () => {
    const id = randomUUID();
    const res = await post(h.url, ingestKey, event({ event_id: id, labels: { team: 'a' } }));
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ accepted: 1, event_ids: [id] });
    const [msg] = await readMessages(testKafka(), h.topics.invocations, 1);
    const inv = invocationCodec.decode(msg!.value!);
    expect(inv).toMatchObject({
      event_id: id,
      tenant_id: 'acme',
      app_id: 'support-bot',
      labels: { team: 'a' },
      redaction: null,
    });
    expect(inv.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(msg!.key).toBe(`acme/${inv.trace_id}`);
    expect(inv.received_at_ms).toBeGreaterThan(0);
  });

  it('accepts a batch as one all-or-nothing request and returns every id in order', async () => {
    const id = randomUUID();
    const res = await post(h.url, ingestKey, [event(), event({ event_id: id }), event()]);
    expect(res.status).toBe(202);
    expect(res.json.accepted).toBe(3);
    expect(res.json.event_ids[1]).toBe(id);
  });

  const badInputs: Array<
    [
      string,
      () => { body: unknown; headers?: Record<string, string> },
      number,
      string,
      RegExp | undefined,
    ]
  > = [
    [
      'wrong types',
      () => ({ body: event({ app_id: 42, usage: { input_tokens: '12' } }) }),
      400,
      'invalid_event',
      /app_id: must be a string/,
    ],
    [
      'a missing required field',
      () => ({ body: (({ request_model: _r, ...rest }) => rest)(event()) }),
      400,
      'invalid_event',
      /request_model: is required/,
    ],
    [
      'an unknown field',
      () => ({ body: event({ prompt: 'x' }) }),
      400,
      'invalid_event',
      /prompt: is not a known field/,
    ],
    [
      'negative tokens',
      () => ({ body: event({ usage: { input_tokens: -5, output_tokens: 1 } }) }),
      400,
      'invalid_event',
      /usage.input_tokens: must be between 0 and/,
    ],
    [
      'absurd tokens',
      () => ({ body: event({ usage: { input_tokens: 1e12, output_tokens: 1 } }) }),
      400,
      'invalid_event',
      /usage.input_tokens: must be between 0 and/,
    ],
    [
      'a bad event inside a batch, by index',
      () => ({ body: [event(), event({ operation: 'dance' })] }),
      400,
      'invalid_event',
      /\[1\]\.operation: must be one of/,
    ],
    [
      "a tenant other than the key's",
      () => ({ body: event({ tenant_id: 'other' }) }),
      400,
      'invalid_event',
      /tenant_id: does not match the tenant of the API key/,
    ],
    [
      'a platform-owned field',
      () => ({ body: event({ received_at_ms: 1 }) }),
      400,
      'invalid_event',
      /received_at_ms: is set by the platform/,
    ],
    [
      "the gateway's part of a record, sent by an app",
      () => ({ body: event({ gateway: { route: 'm', attempts: [] } }) }),
      400,
      'invalid_event',
      /gateway: is set by the platform/,
    ],
    ['non-JSON', () => ({ body: '{"app_id": "x",' }), 400, 'invalid_json', /not valid JSON/],
    [
      'deeply nested JSON',
      () => ({ body: '['.repeat(40) + ']'.repeat(40) }),
      400,
      'too_deeply_nested',
      /nests 40 levels deep; at most 16/,
    ],
    [
      'an oversized body',
      () => ({ body: event({ input_messages: [{ role: 'user', content: 'x'.repeat(70_000) }] }) }),
      413,
      'body_too_large',
      /limit of 65536 bytes/,
    ],
    [
      'too many events in a batch',
      () => ({ body: Array.from({ length: 51 }, () => event()) }),
      413,
      'batch_too_large',
      /at most 50/,
    ],
    [
      'a body that is not JSON by content type',
      () => ({ body: 'x', headers: { 'content-type': 'text/plain' } }),
      415,
      'unsupported_media_type',
      /application\/json/,
    ],
    ['an empty batch', () => ({ body: [] }), 400, 'empty_batch', undefined],
    [
      'a body that is not an event',
      () => ({ body: '"hello"' }),
      400,
      'invalid_event',
      /must be a JSON object/,
    ],
  ];

  it.each(badInputs)(
    'rejects %s with a precise status and message',
    async (_name, make, status, code, message) => {
      const { body, headers } = make();
      const res = await post(h.url, ingestKey, body, headers);
      expect(res.status).toBe(status);
      if (code) expect(res.json.error.code).toBe(code);
      if (message)
        expect(res.json.error.message + JSON.stringify(res.json.error.details ?? [])).toMatch(
          message,
        );
    },
  );

  it('answers 401 without a key, with an unknown key and with a revoked key, and 403 without the scope', async () => {
    expect((await post(h.url, undefined, event())).status).toBe(401);
    const unknown = await post(h.url, 'llm_0123456789abcdef_' + 'A'.repeat(43), event());
    expect(unknown.status).toBe(401);
    expect(unknown.json.error.code).toBe('invalid_api_key');
    expect(unknown.headers.get('www-authenticate')).toMatch(/Bearer/);
    const queryOnly = await h.key('acme', ['query']);
    const forbidden = await post(h.url, queryOnly, event());
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.message).toMatch(/lacks the 'ingest' scope/);
    const doomed = await h.key('acme', ['ingest']);
    await h.keys.start();
    const record = h.keys.list('acme').find((k) => doomed.includes(k.key_id))!;
    await h.keys.revoke(record.key_id);
    await waitFor(
      'the revocation to reach the ingress',
      async () => (await post(h.url, doomed, event())).status === 401,
    );
    expect((await post(h.url, doomed, event())).json.error.code).toBe('revoked_api_key');
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/llmops_ingress_events_accepted_total\{tenant="acme"/);
  });
});
