import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';
import { guardrailRuleCodec } from '@llmops/contracts';
import {
  LocalOpenAIUpstream,
  readMessages,
  testEndpoints,
  testKafka,
  uniqueName,
  waitFor,
} from '@llmops/testing';
import { loadIngressConfig, startIngress } from '../src';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness';
import { silent } from './ingress-harness';

interface Answer {
  status: number;
  json: any;
  headers: Headers;
}

async function call(
  url: string,
  key: string | undefined,
  method: string,
  apiPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${url}/v1/admin/guardrails/rules${apiPath}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** A word of letters no other test uses (phrases are normalised: digits would read as letters). */
const word = () =>
  randomBytes(6)
    .toString('hex')
    .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)]!);

/** An input rule that blocks `phrase`. */
const blocking = (phrase: string, extra: Record<string, unknown> = {}) => ({
  stage: 'input',
  check: { type: 'phrases', phrases: [phrase] },
  action: 'block',
  severity: 'high',
  ...extra,
});

const FILE_PHRASE = word();
const FILE_DEPLOYMENT_PHRASE = word();

/** Another ingress replica on the same topics: what a deployment's second pod is. */
async function startReplica(prefix: string, env: Record<string, string> = {}) {
  const app: NestFastifyApplication = await startIngress(
    loadIngressConfig({
      KAFKA_BROKERS: testEndpoints().kafkaBrokers,
      TOPIC_PREFIX: prefix,
      INGRESS_PORT: '0',
      LOG_LEVEL: 'silent',
      UP_KEY: 'sk-up',
      GATEWAY_ADMIN_TENANTS: 'ops',
      ...env,
    }),
    silent,
  );
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/**
 * Guardrail rules as control-plane state: managed per tenant through the admin API, applied
 * from GATEWAY_GUARDRAILS_FILE at start, followed live by every replica's gateway, each change
 * a new revision that the next call's record carries.
 */
describe('guardrail rules on the control plane', () => {
  let h: GatewayHarness;
  let b: { app: NestFastifyApplication; url: string };
  let upstream: LocalOpenAIUpstream;
  let dir: string;
  let rulesFile: string;
  let prefix: string;
  const keys: Record<'acme' | 'globex' | 'ops' | 'acmeGateway' | 'globexGateway', string> =
    {} as never;

  const chat = (url: string, key: string, content: string) =>
    new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0 }).chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] })
      .withResponse()
      .then(
        ({ response }) => ({ eventId: response.headers.get('x-llmops-event-id'), blocked: null }),
        (e: unknown) => {
          const err = e as InstanceType<typeof OpenAI.APIError>;
          if (err.code !== 'guardrail_blocked') throw e;
          return { eventId: (err.headers as Headers).get('x-llmops-event-id'), blocked: err };
        },
      );
  /** Calls until the replica blocks `content` by `rule` at `revision`; the blocked call. */
  const blockedOn = (url: string, key: string, content: string, rule: string, revision: number) =>
    waitFor(`${url} to block by ${rule} revision ${revision}`, async () => {
      const r = await chat(url, key, content);
      return r.blocked?.message.includes(`rule '${rule}' (revision ${revision},`) ? r : undefined;
    });
  const passesOn = (url: string, key: string, content: string) =>
    waitFor(`${url} to let the call through`, async () => {
      const r = await chat(url, key, content);
      return r.blocked === null ? r : undefined;
    });
  const topicEnd = async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(h.topics.controlGuardrailRules);
      return offsets.reduce((n, o) => n + Number(o.high), 0);
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmops-guardrails-control-'));
    rulesFile = path.join(dir, 'guardrails.yaml');
    writeFileSync(
      rulesFile,
      [
        'rules:',
        `  - { id: file-acme, stage: input, scope: { tenant: acme }, check: { type: phrases, phrases: [${FILE_PHRASE}] }, action: block, severity: high }`,
        `  - { id: file-everyone, stage: input, check: { type: phrases, phrases: [${FILE_DEPLOYMENT_PHRASE}] }, action: block, severity: low }`,
      ].join('\n'),
    );
    upstream = await LocalOpenAIUpstream.start();
    h = await startGatewayHarness(
      [
        'upstreams:',
        `  - { name: up, base_url: "${upstream.baseUrl}", format: openai, endpoint_kind: internal, credential: { env: UP_KEY } }`,
        'routes:',
        '  - { model: gpt-4o-mini, targets: [{ upstream: up }] }',
      ],
      { UP_KEY: 'sk-up', GATEWAY_GUARDRAILS_FILE: rulesFile, GATEWAY_ADMIN_TENANTS: 'ops' },
    );
    prefix = h.topics.invocations.slice(0, -'llmops.invocations.v1'.length);
    keys.acme = await h.key('acme', ['admin']);
    keys.globex = await h.key('globex', ['admin']);
    keys.ops = await h.key('ops', ['admin']);
    keys.acmeGateway = await h.key('acme', ['gateway']);
    keys.globexGateway = await h.key('globex', ['gateway']);
    b = await startReplica(prefix);
    await waitFor(
      'replica B to load the keys',
      async () => (await call(b.url, keys.ops, 'GET', '')).status === 200,
    );
  });

  afterAll(async () => {
    await b?.app.close();
    await h?.close();
    await upstream?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("blocks on replica B a rule added through replica A's admin API, and a change is a new revision the next record carries", async () => {
    const id = uniqueName('injection');
    const phrase = word();
    const added = await call(h.url, keys.acme, 'PUT', `/${id}`, blocking(phrase));
    expect(added.status).toBe(201);
    expect(added.headers.get('etag')).toBe('"1"');
    expect(added.json).toMatchObject({
      id,
      tenant: 'acme',
      scope: { tenant: 'acme' },
      revision: 1,
      timeout_ms: 50,
      changed_by: { source: 'api', tenant_id: 'acme', key_id: expect.any(String) },
    });

    const first = await blockedOn(b.url, keys.acmeGateway, `please ${phrase} now`, id, 1);
    expect(upstream.requests.some((r) => JSON.stringify(r.body).includes(phrase))).toBe(false);
    expect((await h.recordOf(first.eventId)).guardrails).toMatchObject([
      { rule_id: id, rule_revision: 1, outcome: 'violated', action: 'block' },
    ]);

    const unchanged = await call(h.url, keys.acme, 'PUT', `/${id}`, blocking(phrase));
    expect(unchanged).toMatchObject({ status: 200, json: { revision: 1 } });
    const stale = await call(h.url, keys.acme, 'PUT', `/${id}`, blocking(phrase), {
      'if-match': '"7"',
    });
    expect(stale).toMatchObject({ status: 409, json: { error: { code: 'revision_mismatch' } } });
    const changed = await call(
      h.url,
      keys.acme,
      'PUT',
      `/${id}`,
      blocking(phrase, { severity: 'critical' }),
      { 'if-match': '"1"' },
    );
    expect(changed).toMatchObject({ status: 200, json: { revision: 2, severity: 'critical' } });

    // The replica that wrote it has it at once; the other once it read it.
    const onA = await chat(h.url, keys.acmeGateway, phrase);
    expect((await h.recordOf(onA.eventId)).guardrails).toMatchObject([
      { rule_id: id, rule_revision: 2, severity: 'critical' },
    ]);
    const onB = await blockedOn(b.url, keys.acmeGateway, phrase, id, 2);
    expect((await h.recordOf(onB.eventId)).guardrails).toMatchObject([
      { rule_id: id, rule_revision: 2, severity: 'critical' },
    ]);
    const shown = await call(b.url, keys.acme, 'GET', `/${id}`);
    expect(shown.json).toMatchObject({ id, revision: 2, changed_at: expect.any(String) });
    expect(shown.headers.get('etag')).toBe('"2"');
  });

  it('stops blocking on every replica once the rule is removed, and a rule added again goes on counting revisions', async () => {
    const id = uniqueName('removed');
    const phrase = word();
    await call(h.url, keys.acme, 'PUT', `/${id}`, blocking(phrase));
    await blockedOn(b.url, keys.acmeGateway, phrase, id, 1);

    expect((await call(b.url, keys.acme, 'DELETE', `/${id}`)).status).toBe(204);
    const through = await passesOn(h.url, keys.acmeGateway, phrase);
    expect((await h.recordOf(through.eventId)).guardrails).toEqual([]);
    await passesOn(b.url, keys.acmeGateway, phrase);
    expect((await call(h.url, keys.acme, 'GET', `/${id}`)).status).toBe(404);
    expect((await call(h.url, keys.acme, 'DELETE', `/${id}`)).status).toBe(404);

    // add 1, removal 2, added again 3: never back to 1, so a record's revision is unambiguous.
    const again = await call(b.url, keys.acme, 'PUT', `/${id}`, blocking(phrase), {
      'if-match': '0',
    });
    expect(again).toMatchObject({ status: 201, json: { revision: 3 } });
    await blockedOn(h.url, keys.acmeGateway, phrase, id, 3);
    await call(h.url, keys.acme, 'DELETE', `/${id}`);
  });

  it("keeps tenants apart: a tenant's admin key neither sees nor removes another's rule, and the rule applies to its own tenant's calls only", async () => {
    const id = uniqueName('acme-only');
    const phrase = word();
    expect((await call(h.url, keys.acme, 'PUT', `/${id}`, blocking(phrase))).status).toBe(201);
    await blockedOn(b.url, keys.acmeGateway, phrase, id, 1);
    await passesOn(b.url, keys.globexGateway, phrase);
    await passesOn(h.url, keys.globexGateway, phrase);

    const listed = await call(b.url, keys.globex, 'GET', '');
    expect(listed.status).toBe(200);
    const ids = (a: Answer) => (a.json.rules as Array<{ id: string }>).map((r) => r.id);
    expect(ids(listed)).not.toContain(id);
    expect(ids(await call(b.url, keys.acme, 'GET', ''))).toContain(id);
    const peek = await call(b.url, keys.globex, 'GET', `/${id}`);
    expect(peek).toMatchObject({ status: 404, json: { error: { code: 'rule_not_found' } } });
    expect(peek.json.error.message).toContain('tenant globex has no guardrail rule');
    expect(JSON.stringify(peek.json)).not.toContain(phrase);
    expect((await call(b.url, keys.globex, 'DELETE', `/${id}`)).status).toBe(404);
    const claim = await call(h.url, keys.globex, 'PUT', `/${uniqueName('x')}`, {
      ...blocking(phrase),
      scope: { tenant: 'acme' },
    });
    expect(claim.status).toBe(400);
    expect(claim.json.error.details).toEqual([
      { path: 'scope.tenant', message: 'must be globex, the tenant of the admin key, or left out' },
    ]);
    await blockedOn(h.url, keys.acmeGateway, phrase, id, 1);
    await call(h.url, keys.acme, 'DELETE', `/${id}`);
  });

  it("lets only GATEWAY_ADMIN_TENANTS's admin keys manage deployment-wide rules, which apply to every tenant", async () => {
    const id = uniqueName('everyone');
    const phrase = word();
    const refused = await call(
      h.url,
      keys.acme,
      'PUT',
      `/${id}?scope=deployment`,
      blocking(phrase),
    );
    expect(refused).toMatchObject({ status: 403, json: { error: { code: 'not_gateway_admin' } } });
    expect((await call(h.url, keys.acme, 'GET', '?scope=deployment')).status).toBe(403);

    const added = await call(h.url, keys.ops, 'PUT', `/${id}?scope=deployment`, blocking(phrase));
    expect(added).toMatchObject({ status: 201, json: { tenant: null, scope: {} } });
    await blockedOn(b.url, keys.acmeGateway, phrase, id, 1);
    await blockedOn(b.url, keys.globexGateway, phrase, id, 1);
    const taken = await call(h.url, keys.acme, 'PUT', `/${id}`, blocking(word()));
    expect(taken).toMatchObject({ status: 409, json: { error: { code: 'rule_id_taken' } } });
    // Not the tenant's own: removing it takes scope=deployment.
    expect((await call(h.url, keys.ops, 'DELETE', `/${id}`)).status).toBe(404);
    expect((await call(h.url, keys.ops, 'DELETE', `/${id}?scope=deployment`)).status).toBe(204);
    await passesOn(b.url, keys.globexGateway, phrase);
  });

  it('refuses an invalid rule with 400 listing every problem by its path, and writes nothing', async () => {
    const before = await topicEnd();
    const id = uniqueName('bad');
    const cases: Array<[unknown, string[]]> = [
      [
        {
          ...blocking('x'),
          check: { type: 'regex', patern: 'x', must: 'not_match' },
          severity: 'max',
        },
        ['check.pattern', 'check.patern', 'severity'],
      ],
      [
        { ...blocking('x'), check: { type: 'regex', pattern: '(a|a)*$', must: 'not_match' } },
        ['check.pattern'],
      ],
      [
        { ...blocking('x'), action: 'redact', check: { type: 'length', unit: 'chars', max: 9 } },
        ['action'],
      ],
      [{ ...blocking('x'), revision: 9 }, ['revision']],
    ];
    for (const [body, paths] of cases) {
      const bad = await call(h.url, keys.acme, 'PUT', `/${id}`, body);
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe('invalid_rule');
      expect((bad.json.error.details as Array<{ path: string }>).map((d) => d.path)).toEqual(paths);
    }
    const redos = await call(h.url, keys.acme, 'PUT', `/${id}`, cases[1]![0]);
    expect(redos.json.error.details[0].message).toMatch(/can backtrack catastrophically/);
    expect((await call(h.url, keys.acme, 'PUT', `/${id}`, [1])).json.error.code).toBe(
      'invalid_body',
    );
    expect((await call(h.url, keys.acme, 'GET', `/${id}`)).status).toBe(404);
    expect(await topicEnd()).toBe(before);
  });

  it('answers only admin keys: 401 without a key, 403 without the admin scope', async () => {
    expect((await call(h.url, undefined, 'GET', '')).status).toBe(401);
    for (const [method, apiPath, body] of [
      ['GET', '', undefined],
      ['PUT', '/x', blocking('x')],
      ['DELETE', '/x', undefined],
    ] as const) {
      const denied = await call(h.url, keys.acmeGateway, method, apiPath, body);
      expect(denied).toMatchObject({ status: 403, json: { error: { code: 'missing_scope' } } });
    }
  });

  it('applies GATEWAY_GUARDRAILS_FILE at start, and a replica starting again with the same file writes nothing and makes no revision', async () => {
    const fileRule = await call(h.url, keys.acme, 'GET', '/file-acme');
    expect(fileRule.json).toMatchObject({
      tenant: 'acme',
      revision: 1,
      changed_by: { source: 'config_file', key_id: null, file: rulesFile },
    });
    const everyone = await call(h.url, keys.ops, 'GET', '?scope=deployment');
    expect(everyone.json.rules).toMatchObject([{ id: 'file-everyone', tenant: null, revision: 1 }]);
    await blockedOn(b.url, keys.acmeGateway, FILE_PHRASE, 'file-acme', 1);
    await passesOn(b.url, keys.globexGateway, FILE_PHRASE);
    await blockedOn(b.url, keys.globexGateway, FILE_DEPLOYMENT_PHRASE, 'file-everyone', 1);

    const before = await topicEnd();
    const again = await startReplica(prefix, { GATEWAY_GUARDRAILS_FILE: rulesFile });
    try {
      expect(await topicEnd()).toBe(before);
      expect((await call(again.url, keys.acme, 'GET', '/file-acme')).json.revision).toBe(1);
      await blockedOn(again.url, keys.acmeGateway, FILE_PHRASE, 'file-acme', 1);
    } finally {
      await again.app.close();
    }
    const messages = await readMessages(testKafka(), h.topics.controlGuardrailRules, before);
    const fileRecords = messages
      .map((m) => guardrailRuleCodec.decode(m.value!))
      .filter((r) => r.changed_by.source === 'config_file');
    expect(fileRecords.map((r) => [r.tenant_id, r.rule_id, r.revision])).toEqual([
      ['acme', 'file-acme', 1],
      [null, 'file-everyone', 1],
    ]);
  });
});
