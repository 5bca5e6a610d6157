import fc from 'fast-check';
import { INVOCATION_LIMITS as L, invocationCodec } from '@llmops/contracts';
import { readMessages, testKafka } from '@llmops/testing';
import { startHarness, type IngressHarness } from './ingress-harness';

/** Fixed so a failure can be replayed: `FUZZ_SEED=<seed> npx jest ... test/fuzz`. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** Put into prompt text; no answer of the ingress may contain it. */
const CANARY = 'fuzz-canary@example.com';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Text that is valid in any string field: any code point but NUL, never an unpaired surrogate. */
const text = (maxLength: number, minLength = 0) =>
  fc
    .string({ unit: 'binary', minLength, maxLength })
    .map((s) => s.replaceAll('\u0000', ' '))
    .filter((s) => s.length >= minLength && s.length <= 2 * maxLength);

const message = fc.record(
  {
    role: fc.constantFrom('system', 'user', 'assistant', 'tool'),
    content: fc.oneof(
      fc.constant(null),
      text(200).map((s) => `${s} ${CANARY}`),
    ),
    name: fc.oneof(fc.constant(null), text(32, 1)),
  },
  { requiredKeys: ['role'] },
);

/** Events inside every limit: the ingress must take each one. */
const validEvent = fc.record(
  {
    event_id: fc.uuid(),
    app_id: fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/),
    user_id: fc.oneof(fc.constant(null), text(100, 1)),
    trace_id: fc.stringMatching(/^[0-9a-f]{32}$/).filter((s) => !/^0+$/.test(s)),
    span_id: fc.stringMatching(/^[0-9a-f]{16}$/).filter((s) => !/^0+$/.test(s)),
    operation: fc.constantFrom('chat', 'embeddings', 'execute_tool', 'agent_step'),
    provider_name: text(32, 1),
    request_model: text(100, 1),
    start_time_ms: fc.integer({ min: Date.now() - 30 * 86_400_000, max: Date.now() }),
    input_messages: fc.array(message, { maxLength: 5 }),
    output_messages: fc.array(message, { maxLength: 2 }),
    tool_calls: fc.array(fc.record({ name: text(40, 1), arguments: text(100) }), { maxLength: 3 }),
    usage: fc.record({
      input_tokens: fc.integer({ min: 0, max: L.maxTokens }),
      output_tokens: fc.integer({ min: 0, max: L.maxTokens }),
    }),
    request: fc.record({
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      stream: fc.boolean(),
    }),
    labels: fc.dictionary(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,30}$/), text(64), {
      maxKeys: L.maxLabels,
    }),
  },
  { requiredKeys: ['app_id', 'operation', 'provider_name', 'request_model', 'start_time_ms'] },
);

const FIELDS = [
  'event_id',
  'tenant_id',
  'app_id',
  'trace_id',
  'span_id',
  'operation',
  'provider_name',
  'request_model',
  'start_time_ms',
  'duration_ms',
  'input_messages',
  'tool_calls',
  'usage',
  'labels',
  'status',
  'error_type',
  'received_at_ms',
  'redaction',
  'gateway',
  'agent_version',
  'bogus',
  '__proto__',
  'constructor',
];

/** Values chosen to sit on or beyond an edge. */
const edgy = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    -1,
    1.5,
    2 ** 53,
    -(2 ** 63),
    1e308,
    '',
    '\u0000',
    '\ud800',
    'x'.repeat(300),
    [],
    {},
    null,
    true,
    'not-a-uuid',
  ),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

type Json = Record<string, unknown>;

/** One change to a valid event that may or may not make it invalid. */
const mutation: fc.Arbitrary<(e: Json) => Json> = fc.oneof(
  fc.tuple(fc.constantFrom(...FIELDS), edgy).map(([f, v]) => (e: Json) => ({ ...e, [f]: v })),
  fc.constantFrom(...FIELDS).map((f) => (e: Json) => {
    const { [f]: _gone, ...rest } = e;
    return rest;
  }),
  fc
    .tuple(fc.constantFrom('input_tokens', 'output_tokens', 'cached_input_tokens'), edgy)
    .map(([f, v]) => (e: Json) => ({ ...e, usage: { ...(e.usage as Json), [f]: v } })),
  fc
    .tuple(fc.constantFrom('role', 'content', 'name', 'tool_call_id', 'extra'), edgy)
    .map(([f, v]) => (e: Json) => ({ ...e, input_messages: [{ role: 'user', [f]: v }] })),
  fc
    .dictionary(fc.string({ unit: 'binary', maxLength: 140 }), edgy, { maxKeys: 80 })
    .map((labels) => (e: Json) => ({ ...e, labels })),
  fc.constantFrom('\u0000', '\ud83d', '\ude00', '\ud83d\ude00').map((bad) => (e: Json) => ({
    ...e,
    input_messages: [{ role: 'user', content: `before ${bad} after ${CANARY}` }],
  })),
  fc.integer({ min: 0, max: 1_100 }).map((n) => (e: Json) => ({
    ...e,
    tool_calls: Array.from({ length: n }, () => ({ name: 't' })),
  })),
);

const mutatedEvent = fc
  .tuple(validEvent, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([e, ms]) => ms.reduce((acc, m) => m(acc), e as Json));

interface Case {
  kind: string;
  body: string | Buffer;
  /** The events a 202 must have accepted, when the body is an event or a batch. */
  count?: number;
  /** A body of valid events only: anything but 202 is a bug. */
  mustAccept?: boolean;
}

const cases: fc.Arbitrary<Case> = fc.oneof(
  {
    weight: 3,
    arbitrary: validEvent.map((e) => ({
      kind: 'valid',
      body: JSON.stringify(e),
      count: 1,
      mustAccept: true,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.array(validEvent, { minLength: 1, maxLength: 5 }).map((b) => ({
      kind: 'valid batch',
      body: JSON.stringify(b),
      count: b.length,
      mustAccept: true,
    })),
  },
  {
    weight: 5,
    arbitrary: mutatedEvent.map((e) => ({ kind: 'mutated', body: JSON.stringify(e), count: 1 })),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(validEvent as fc.Arbitrary<Json>, mutatedEvent), {
        minLength: 1,
        maxLength: 5,
      })
      .map((b) => ({ kind: 'mixed batch', body: JSON.stringify(b), count: b.length })),
  },
  {
    weight: 2,
    arbitrary: fc
      .jsonValue({ maxDepth: 5 })
      .map((v) => ({ kind: 'any JSON', body: JSON.stringify(v) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ unit: 'binary', maxLength: 200 })
      .map((s) => ({ kind: 'any text', body: s })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 200 })
      .map((b) => ({ kind: 'any bytes', body: Buffer.from(b) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 80 })
      .map((n) => ({ kind: 'deep nesting', body: '['.repeat(n) + ']'.repeat(n) })),
  },
);

describe('POST /v1/events under arbitrary input', () => {
  let h: IngressHarness;
  let key: string;

  beforeAll(async () => {
    h = await startHarness();
    key = await h.key('acme', ['ingest']);
  });
  afterAll(() => h.close());

  it(`answers 4xx with a reason or 202 with every event on the topic, never 5xx (${RUNS} runs, seed ${SEED})`, async () => {
    const accepted: string[] = [];
    const property = fc.asyncProperty(cases, async (c) => {
      const res = await fetch(`${h.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: c.body,
      });
      const answer = await res.text();
      const json = JSON.parse(answer) as {
        accepted?: number;
        event_ids?: string[];
        error?: { status: number; code: string; message: string; details?: unknown[] };
      };
      const where = `${c.kind} -> ${res.status} ${answer.slice(0, 500)}`;
      expect({ where, fault: res.status >= 500 }).toEqual({ where, fault: false });
      expect(answer).not.toContain(CANARY);
      if (res.status === 202) {
        expect(c.count).toBeDefined();
        expect(json.accepted).toBe(c.count);
        expect(json.event_ids).toHaveLength(c.count!);
        for (const id of json.event_ids!) expect(id).toMatch(UUID);
        accepted.push(...json.event_ids!);
        return;
      }
      expect({ where, mustAccept: c.mustAccept ?? false }).toEqual({ where, mustAccept: false });
      expect([400, 413, 415]).toContain(res.status);
      expect(json.error?.status).toBe(res.status);
      expect(json.error?.code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(json.error?.message.length).toBeGreaterThan(0);
      for (const d of json.error?.details ?? [])
        expect(d).toEqual({ path: expect.any(String), message: expect.any(String) });
    });
    try {
      await fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
    } catch (err) {
      throw new Error(`fuzz failed with FUZZ_SEED=${SEED}: ${(err as Error).message}`, {
        cause: err,
      });
    }

    expect(accepted.length).toBeGreaterThan(RUNS / 10);
    const onTopic = await readMessages(testKafka(), h.topics.invocations, accepted.length);
    const ids = onTopic.map((m) => invocationCodec.decode(m.value!).event_id);
    expect(new Set(ids)).toEqual(new Set(accepted));
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});
