import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import {
  LocalAnthropicUpstream,
  LocalOpenAIUpstream,
  testEndpoints,
  waitFor,
} from '@llmops/testing';
import { Pipeline } from './pipeline-harness';

/**
 * Calls through the gateway, with the official clients, end to end: each call's one record
 * goes through the pii-scanner to ClickHouse, and the token accountant counts exactly the usage
 * the upstreams reported (prompt-cache writes priced apart), to the token and the picodollar.
 */
describe('gateway calls through the whole pipeline', () => {
  let p: Pipeline;
  let openaiUpstream: LocalOpenAIUpstream;
  let anthropicUpstream: LocalAnthropicUpstream;
  let dir: string;

  beforeAll(async () => {
    openaiUpstream = await LocalOpenAIUpstream.start();
    anthropicUpstream = await LocalAnthropicUpstream.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmops-gw-e2e-'));
    const file = path.join(dir, 'gateway.yaml');
    fs.writeFileSync(
      file,
      [
        'upstreams:',
        `  - { name: oai, base_url: "${openaiUpstream.baseUrl}", format: openai, endpoint_kind: external, credential: { env: OAI_KEY } }`,
        `  - { name: claude, base_url: "${anthropicUpstream.baseUrl}", format: anthropic, endpoint_kind: external, credential: { env: CLAUDE_KEY } }`,
        'routes:',
        '  - { model: gpt-4o-mini, targets: [{ upstream: oai }] }',
        '  - { model: claude-sonnet-4-5, targets: [{ upstream: claude }] }',
      ].join('\n'),
    );
    const e = testEndpoints();
    p = await new Pipeline({
      kafkaBrokers: e.kafkaBrokers,
      clickhouseUrl: e.clickhouseUrl,
      env: { GATEWAY_CONFIG_FILE: file, OAI_KEY: 'sk-oai', CLAUDE_KEY: 'sk-claude' },
    }).start();
    await p.startAccountant();
  });

  afterAll(async () => {
    await p?.stop();
    await openaiUpstream?.close();
    await anthropicUpstream?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores one redacted record per call and counts the usage the upstreams reported', async () => {
    const key = await p.key('acme', ['gateway', 'query']);
    const openai = new OpenAI({ apiKey: key, baseURL: `${p.url}/v1`, maxRetries: 0 });
    const claude = new Anthropic({ apiKey: key, baseURL: p.url, maxRetries: 0 });
    const headers = { 'x-llmops-app-id': 'care-bot' };
    const ids: string[] = [];
    // Published prices (libs/pricing), picodollars per token: $/M × 10^6.
    let cost = 0n;
    const oai = (inTok: number, outTok: number) =>
      BigInt(inTok) * 150_000n + BigInt(outTok) * 600_000n;
    let input = 0;
    let output = 0;
    let cached = 0;

    const chat = await openai.chat.completions
      .create(
        {
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'mail jane.doe@example.com about order 12345' }],
        },
        { headers },
      )
      .withResponse();
    ids.push(chat.response.headers.get('x-llmops-event-id')!);
    input += chat.data.usage!.prompt_tokens;
    output += chat.data.usage!.completion_tokens;
    cost += oai(chat.data.usage!.prompt_tokens, chat.data.usage!.completion_tokens);

    // The same call not streamed tells what the upstream reports for it…
    const same = await openai.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a streamed answer please' }] },
        { headers },
      )
      .withResponse();
    ids.push(same.response.headers.get('x-llmops-event-id')!);
    // …and streamed without asking for usage, the gateway asked the upstream and counts it.
    const streamed = await openai.chat.completions
      .create(
        {
          model: 'gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: 'a streamed answer please' }],
        },
        { headers },
      )
      .withResponse();
    for await (const chunk of streamed.data) expect(chunk.usage ?? null).toBeNull();
    ids.push(streamed.response.headers.get('x-llmops-event-id')!);
    input += same.data.usage!.prompt_tokens * 2;
    output += same.data.usage!.completion_tokens * 2;
    cost += 2n * oai(same.data.usage!.prompt_tokens, same.data.usage!.completion_tokens);

    anthropicUpstream.next({ kind: 'ok', cacheCreation: 1_000, cacheRead: 4_000 });
    const message = await claude.messages
      .create(
        {
          model: 'claude-sonnet-4-5',
          max_tokens: 50,
          messages: [{ role: 'user', content: 'hello claude' }],
        },
        { headers },
      )
      .withResponse();
    ids.push(message.response.headers.get('x-llmops-event-id')!);
    const u = message.data.usage;
    input += u.input_tokens + 1_000 + 4_000;
    output += u.output_tokens;
    cached += 4_000;
    // Sonnet: input $3, cache read $0.30, cache write $3.75, output $15 per million.
    cost +=
      BigInt(u.input_tokens) * 3_000_000n +
      4_000n * 300_000n +
      1_000n * 3_750_000n +
      BigInt(u.output_tokens) * 15_000_000n;

    await p.waitForRows(ids.length, 120_000);
    const rows = await p.rows<{
      event_id: string;
      app_id: string;
      input_messages_json: string;
      gateway_json: string;
      source: string;
      cache_creation_input_tokens: number;
    }>(
      `SELECT event_id, app_id, input_messages_json, gateway_json, source, cache_creation_input_tokens FROM {db}.invocations FINAL WHERE event_id IN (${ids.map((id) => `'${id}'`).join(',')})`,
    );
    expect(rows.map((r) => r.event_id).sort()).toEqual([...ids].sort());
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    const first = byId.get(ids[0]!)!;
    // Raw PII never rests in ClickHouse: the scanner redacted the gateway's record too.
    expect(first.input_messages_json).not.toContain('jane.doe@example.com');
    expect(first.app_id).toBe('care-bot');
    expect(JSON.parse(first.gateway_json)).toMatchObject({ route: 'gpt-4o-mini', upstream: 'oai' });
    expect(rows.every((r) => r.source === 'gateway')).toBe(true);
    expect(byId.get(ids[3]!)!.cache_creation_input_tokens).toBe(1_000);

    const usage = await waitForUsage(p, key, input, output);
    expect(usage.total).toMatchObject({
      requests: 4,
      input_tokens: input,
      output_tokens: output,
      cached_input_tokens: cached,
      cost_pico_usd: String(cost),
    });
  });
});

function waitForUsage(p: Pipeline, key: string, input: number, output: number) {
  return waitFor(
    `the accountant to count ${input} input and ${output} output tokens`,
    async () => {
      const res = await fetch(`${p.url}/v1/usage?group_by=app&period=day`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const body = (await res.json()) as {
        total: {
          requests: number;
          input_tokens: number;
          output_tokens: number;
          cached_input_tokens: number;
          cost_pico_usd: string;
        };
      };
      return body.total.input_tokens >= input && body.total.requests >= 4 ? body : undefined;
    },
    { timeoutMs: 60_000 },
  );
}
