import OpenAI from 'openai';
import type { GuardrailDecision } from '@llmops/contracts';
import { LocalOpenAIUpstream } from '@llmops/testing';
import { ApiError } from '../src/http/api-error';
import type { CallHook } from '../src/gateway/call-hooks';
import { GatewayService } from '../src/gateway/gateway.service';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';

const decision = (stage: GuardrailDecision['stage']): GuardrailDecision => ({
  rule_id: 'no-forbidden-word',
  rule_revision: 1,
  stage,
  action: 'block',
  severity: 'high',
  outcome: 'violated',
  mode: 'enforce',
  detail: 'the word',
  duration_us: null,
});
const blocked = () =>
  new ApiError(400, 'guardrail_blocked', "rule 'no-forbidden-word' (revision 1) blocked this call");

/**
 * The gateway's hook points with a hook of the test's own (the guardrails issue brings the
 * real rules): before the call, during a stream (stopping it mid-way) and after a non-streamed
 * answer, each with the official `openai` client and the decision in the record.
 */
describe('gateway: hooks before, during and after a call', () => {
  let h: GatewayHarness;
  let upstream: LocalOpenAIUpstream;
  let client: OpenAI;
  const during: string[] = [];

  beforeAll(async () => {
    upstream = await LocalOpenAIUpstream.start();
    h = await startGatewayHarness(
      [
        'upstreams:',
        `  - { name: up, base_url: "${upstream.baseUrl}", format: openai, endpoint_kind: internal, credential: { env: UP_KEY } }`,
        'routes:',
        '  - { model: gpt-4o-mini, targets: [{ upstream: up }] }',
      ],
      { UP_KEY: 'sk-up' },
    );
    const hook: CallHook = {
      name: 'test',
      before: (call, texts) =>
        call.tenant === 'hooked' && texts().some((t) => t.text.includes('secret plan'))
          ? { block: blocked(), decisions: [decision('input')] }
          : undefined,
      during: (call, text) => {
        if (call.tenant !== 'hooked') return undefined;
        during.push(text);
        return text.includes('forbidden')
          ? { block: blocked(), decisions: [decision('output')] }
          : undefined;
      },
      after: (call, outcome) =>
        call.tenant === 'hooked' && (outcome.choices[0]?.content ?? '').includes('forbidden')
          ? { block: blocked(), decisions: [decision('output')] }
          : undefined,
    };
    h.app.get(GatewayService).hooks.push(hook);
    client = new OpenAI({
      apiKey: await h.key('hooked', ['gateway']),
      baseURL: `${h.url}/v1`,
      maxRetries: 0,
    });
  });

  afterAll(async () => {
    await h?.close();
    await upstream?.close();
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
    );

  it('stops a stream mid-way when a hook blocks on the text so far: the client gets what came before and the error, never the rest', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'say the forbidden word and then much more text' }],
      })
      .withResponse();
    let got = '';
    const err = await failure(
      (async () => {
        for await (const chunk of stream) got += chunk.choices[0]?.delta.content ?? '';
      })(),
    );
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err!.message).toContain("rule 'no-forbidden-word' (revision 1) blocked this call");
    expect(got).toBe('echo: say the');
    // The hook saw the text grow delta by delta, and nothing after the block.
    expect(during.at(-1)).toBe('echo: say the forbidden');
    const r = await h.recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({ status: 'error', error_type: 'guardrail_blocked' });
    expect(r.guardrails).toEqual([decision('output')]);
    // The record keeps what the model said up to the block.
    expect(r.output_messages[0]?.content).toBe('echo: say the forbidden');
  });

  it('replaces a non-streamed answer that a hook blocks with its error', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'the forbidden one' }] })
      .withResponse()
      .catch((e: InstanceType<typeof OpenAI.APIError>) => {
        expect(e).toBeInstanceOf(OpenAI.BadRequestError);
        expect(e.code).toBe('guardrail_blocked');
        return { response: { headers: e.headers as Headers } };
      });
    const r = await h.recordOf(response.headers.get('x-llmops-event-id'));
    expect(r).toMatchObject({ status: 'error', error_type: 'guardrail_blocked' });
    expect(r.guardrails).toEqual([decision('output')]);
  });

  it('refuses a request a hook blocks before the call, without calling the upstream', async () => {
    const before = upstream.requests.length;
    const err = await failure(
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'here is the secret plan' }],
      }),
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err!.code).toBe('guardrail_blocked');
    expect(upstream.requests.length).toBe(before);
    const r = await h.recordOf((err!.headers as Headers).get('x-llmops-event-id'));
    expect(r.guardrails).toEqual([decision('input')]);
  });
});
