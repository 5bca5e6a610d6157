import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';
import { gatewayEntryCodec } from '@llmops/contracts';
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

/** The upstream's key, as the ingress's environment holds it: it must never leave the ingress. */
const CANARY = `sk-canary-${randomUUID()}`;
const FILE_KEY = `sk-file-${randomUUID()}`;

interface Answer {
  status: number;
  json: any;
  text: string;
}

/** Every admin-API answer of this file, for the canary check. */
const answers: string[] = [];

async function call(
  url: string,
  key: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  answers.push(text);
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

const detailPaths = (a: Answer) =>
  (a.json.error.details as Array<{ path: string }>).map((d) => d.path);

/** Another ingress replica on the same topics: what a deployment's second pod is. */
async function startReplica(prefix: string, env: Record<string, string> = {}) {
  const app: NestFastifyApplication = await startIngress(
    loadIngressConfig({
      KAFKA_BROKERS: testEndpoints().kafkaBrokers,
      TOPIC_PREFIX: prefix,
      INGRESS_PORT: '0',
      LOG_LEVEL: 'silent',
      CANARY_KEY: CANARY,
      ...env,
    }),
    silent,
  );
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/**
 * Upstreams and routes as control-plane state: changed through the admin API, applied from
 * GATEWAY_CONFIG_FILE at start, followed live by every replica, and never holding a secret.
 */
describe('gateway upstreams and routes on the control plane', () => {
  let h: GatewayHarness;
  let replica: { app: NestFastifyApplication; url: string };
  let local: LocalOpenAIUpstream;
  let prefix: string;
  let admin: string;
  let gatewayKey: string;

  const chat = (url: string, model: string) =>
    new OpenAI({ apiKey: gatewayKey, baseURL: `${url}/v1`, maxRetries: 0 }).chat.completions.create(
      { model, messages: [{ role: 'user', content: 'hello through the control plane' }] },
    );
  const models = async (url: string) =>
    (await new OpenAI({ apiKey: gatewayKey, baseURL: `${url}/v1` }).models.list()).data.map(
      (m) => m.id,
    );
  const upstreamBody = (extra: Record<string, unknown> = {}) => ({
    base_url: local.baseUrl,
    format: 'openai',
    endpoint_kind: 'internal',
    credential: { env: 'CANARY_KEY' },
    ...extra,
  });
  const topicEnd = async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(h.topics.controlGatewayRoutes);
      return offsets.reduce((n, o) => n + Number(o.high), 0);
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    local = await LocalOpenAIUpstream.start();
    h = await startGatewayHarness(
      [
        'upstreams:',
        `  - { name: from-file, base_url: "${local.baseUrl}", format: openai, endpoint_kind: internal, credential: { env: FILE_KEY } }`,
        'routes:',
        '  - { model: file-model, targets: [{ upstream: from-file, model: gpt-4o-mini }] }',
      ],
      { FILE_KEY, CANARY_KEY: CANARY, ONLY_ON_THE_FIRST: `sk-first-${randomUUID()}` },
    );
    prefix = h.topics.invocations.slice(0, -'llmops.invocations.v1'.length);
    admin = await h.key('ops', ['admin']);
    gatewayKey = await h.key('acme', ['gateway']);
    replica = await startReplica(prefix, { FILE_KEY });
    await waitFor(
      'the second replica to load the admin key',
      async () => (await call(replica.url, admin, 'GET', '/v1/admin/upstreams')).status === 200,
    );
  });

  afterAll(async () => {
    await replica?.app.close();
    await h?.close();
    await local?.close();
  });

  it('serves an upstream and route added through the admin API on every replica, live, and stops once they are removed', async () => {
    const name = uniqueName('local');
    const model = `meta-llama/${uniqueName('llama')}`;
    const path = `/v1/admin/routes/${encodeURIComponent(model)}`;
    const added = await call(h.url, admin, 'PUT', `/v1/admin/upstreams/${name}`, upstreamBody());
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      name,
      base_url: local.baseUrl,
      credential: { env: 'CANARY_KEY' },
      timeouts: { connect_ms: 5_000 },
      revision: 1,
      changed_by: { source: 'api', tenant_id: 'ops', key_id: expect.any(String) },
    });
    const routed = await call(h.url, admin, 'PUT', path, {
      targets: [{ upstream: name, model: 'gpt-4o-mini' }],
    });
    expect(routed.status).toBe(201);
    expect(routed.json).toMatchObject({ model, targets: [{ upstream: name }], revision: 1 });

    const answer = await chat(h.url, model);
    expect(answer.choices[0]!.message.content).toBe('echo: hello through the control plane');
    expect(local.requests.at(-1)!.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(local.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4o-mini' });

    // The other replica was running all along: it follows the topic, no restart.
    await waitFor('the second replica to serve the new route', async () =>
      (await models(replica.url)).includes(model),
    );
    expect((await chat(replica.url, model)).choices[0]!.message.content).toContain('echo:');

    expect((await call(h.url, admin, 'DELETE', path)).status).toBe(204);
    expect((await call(h.url, admin, 'DELETE', `/v1/admin/upstreams/${name}`)).status).toBe(204);
    await waitFor(
      'the second replica to stop serving the route',
      async () => !(await models(replica.url)).includes(model),
    );
    const gone = await chat(replica.url, model).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
    expect((gone as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    expect((await call(replica.url, admin, 'GET', `/v1/admin/upstreams/${name}`)).status).toBe(404);
  });

  it('changes an upstream in place: the next call goes to its new address, the route unchanged', async () => {
    const other = await LocalOpenAIUpstream.start();
    try {
      const name = uniqueName('moving');
      const model = uniqueName('moving-model');
      await call(h.url, admin, 'PUT', `/v1/admin/upstreams/${name}`, upstreamBody());
      await call(h.url, admin, 'PUT', `/v1/admin/routes/${model}`, {
        targets: [{ upstream: name }],
      });
      await chat(h.url, model);
      const unchanged = await call(
        h.url,
        admin,
        'PUT',
        `/v1/admin/upstreams/${name}`,
        upstreamBody(),
      );
      expect(unchanged).toMatchObject({ status: 200, json: { revision: 1 } });

      const moved = await call(
        h.url,
        admin,
        'PUT',
        `/v1/admin/upstreams/${name}`,
        upstreamBody({ base_url: other.baseUrl }),
      );
      expect(moved).toMatchObject({ status: 200, json: { revision: 2, base_url: other.baseUrl } });
      await chat(h.url, model);
      expect(other.requests).toHaveLength(1);
      await waitFor('the second replica to call the new address', async () => {
        await chat(replica.url, model);
        return other.requests.length > 1;
      });
      await call(h.url, admin, 'DELETE', `/v1/admin/routes/${model}`);
      await call(h.url, admin, 'DELETE', `/v1/admin/upstreams/${name}`);
    } finally {
      await other.close();
    }
  });

  it("answers 502 naming the upstream, never its variable, when this replica lacks the upstream's credential", async () => {
    const name = uniqueName('first-only');
    const model = uniqueName('first-only-model');
    const put = await call(
      h.url,
      admin,
      'PUT',
      `/v1/admin/upstreams/${name}`,
      upstreamBody({ credential: { env: 'ONLY_ON_THE_FIRST' } }),
    );
    expect(put.status).toBe(201);
    await call(h.url, admin, 'PUT', `/v1/admin/routes/${model}`, { targets: [{ upstream: name }] });
    expect((await chat(h.url, model)).choices[0]!.message.content).toContain('echo:');

    await waitFor('the second replica to know the route', async () =>
      (await models(replica.url)).includes(model),
    );
    const failed = await chat(replica.url, model).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    const e = failed as InstanceType<typeof OpenAI.APIError>;
    expect([e.status, e.code]).toEqual([502, 'upstream_unavailable']);
    expect(e.message).toContain(`upstream '${name}' cannot be called from this gateway replica`);
    expect(e.message).not.toContain('ONLY_ON_THE_FIRST');
    await call(h.url, admin, 'DELETE', `/v1/admin/routes/${model}`);
    await call(h.url, admin, 'DELETE', `/v1/admin/upstreams/${name}`);
  });

  it('applies GATEWAY_CONFIG_FILE at start, lists its entries as coming from it, and writes nothing when a replica starts again with the same file', async () => {
    const listed = await call(h.url, admin, 'GET', '/v1/admin/upstreams');
    const fromFile = (listed.json.upstreams as any[]).find((u) => u.name === 'from-file');
    expect(fromFile).toMatchObject({
      base_url: local.baseUrl,
      credential: { env: 'FILE_KEY' },
      revision: 1,
      changed_by: { source: 'config_file', key_id: null, file: expect.stringMatching(/\.yaml$/) },
    });
    const routes = await call(h.url, admin, 'GET', '/v1/admin/routes/file-model');
    expect(routes.json).toMatchObject({
      model: 'file-model',
      targets: [{ upstream: 'from-file', model: 'gpt-4o-mini' }],
      changed_by: { source: 'config_file' },
    });
    expect((await chat(replica.url, 'file-model')).choices[0]!.message.content).toContain('echo:');

    const before = await topicEnd();
    const again = await startReplica(prefix, {
      GATEWAY_CONFIG_FILE: fromFile.changed_by.file,
      FILE_KEY,
    });
    try {
      expect(await models(again.url)).toContain('file-model');
      expect(await topicEnd()).toBe(before);
    } finally {
      await again.app.close();
    }
  });

  it('refuses invalid upstreams and routes with 400 naming the field, and writes nothing', async () => {
    const name = uniqueName('bad');
    const before = await topicEnd();
    const put = (body: unknown) => call(h.url, admin, 'PUT', `/v1/admin/upstreams/${name}`, body);
    const cases: Array<[unknown, string[]]> = [
      [upstreamBody({ base_url: 'not a url' }), ['base_url']],
      [upstreamBody({ format: 'bedrock' }), ['format']],
      [upstreamBody({ credential: CANARY }), ['credential']],
      [upstreamBody({ credential: { value: CANARY } }), ['credential']],
      [upstreamBody({ api_key: CANARY }), ['api_key']],
      [upstreamBody({ credential: { env: 'NOT_SET_ON_THE_INGRESS' } }), ['credential.env']],
      [upstreamBody({ format: 'azure-openai' }), ['api_version']],
    ];
    for (const [body, paths] of cases) {
      const bad = await put(body);
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe('invalid_upstream');
      expect(detailPaths(bad)).toEqual(paths);
      expect(bad.text).not.toContain(CANARY);
    }
    const notObject = await call(h.url, admin, 'PUT', `/v1/admin/upstreams/${name}`, [1]);
    expect(notObject.json.error.code).toBe('invalid_body');

    const route = await call(h.url, admin, 'PUT', `/v1/admin/routes/${uniqueName('m')}`, {
      targets: [{ upstream: 'from-file' }, { upstream: 'ghost' }],
    });
    expect(route.status).toBe(400);
    expect(route.json.error.code).toBe('invalid_route');
    expect(detailPaths(route)).toEqual(['targets.1.upstream']);
    expect((await call(h.url, admin, 'GET', `/v1/admin/upstreams/${name}`)).status).toBe(404);
    expect(await topicEnd()).toBe(before);
  });

  it('refuses to remove an upstream that routes use, with 409 naming them', async () => {
    const name = uniqueName('used');
    const [m1, m2] = [uniqueName('a'), uniqueName('b')].sort();
    await call(h.url, admin, 'PUT', `/v1/admin/upstreams/${name}`, upstreamBody());
    for (const m of [m1, m2])
      await call(h.url, admin, 'PUT', `/v1/admin/routes/${m}`, {
        targets: [{ upstream: 'from-file' }, { upstream: name, weight: 1 }],
      });
    const refused = await call(h.url, admin, 'DELETE', `/v1/admin/upstreams/${name}`);
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'upstream_in_use', routes: [m1, m2] });
    expect(refused.json.error.message).toContain(`'${m1}', '${m2}'`);
    expect((await call(h.url, admin, 'GET', `/v1/admin/upstreams/${name}`)).status).toBe(200);
    for (const m of [m1, m2]) await call(h.url, admin, 'DELETE', `/v1/admin/routes/${m}`);
    expect((await call(h.url, admin, 'DELETE', `/v1/admin/upstreams/${name}`)).status).toBe(204);
  });

  it('answers only admin keys: 401 without a key, 403 without the admin scope, 404 for what is not there', async () => {
    expect((await call(h.url, undefined, 'GET', '/v1/admin/upstreams')).status).toBe(401);
    for (const [method, path, body] of [
      ['GET', '/v1/admin/upstreams', undefined],
      ['GET', '/v1/admin/routes', undefined],
      ['PUT', '/v1/admin/upstreams/x', upstreamBody()],
      ['PUT', '/v1/admin/routes/x', { targets: [{ upstream: 'from-file' }] }],
      ['DELETE', '/v1/admin/upstreams/from-file', undefined],
    ] as const) {
      const denied = await call(h.url, gatewayKey, method, path, body);
      expect(denied.status).toBe(403);
      expect(denied.json.error.code).toBe('missing_scope');
    }
    const missing = await call(h.url, admin, 'GET', `/v1/admin/upstreams/${uniqueName('none')}`);
    expect(missing).toMatchObject({ status: 404, json: { error: { code: 'upstream_not_found' } } });
    const noRoute = await call(h.url, admin, 'DELETE', `/v1/admin/routes/${uniqueName('none')}`);
    expect(noRoute).toMatchObject({ status: 404, json: { error: { code: 'route_not_found' } } });
  });

  it('lets only the admin keys of GATEWAY_ADMIN_TENANTS see or change them, when it is set', async () => {
    const narrow = await startReplica(prefix, { FILE_KEY, GATEWAY_ADMIN_TENANTS: 'platform,sre' });
    try {
      const platform = await h.key('platform', ['admin']);
      await waitFor(
        'the narrowed replica to load the platform key',
        async () => (await call(narrow.url, platform, 'GET', '/v1/admin/routes')).status === 200,
      );
      for (const [method, path, body] of [
        ['GET', '/v1/admin/upstreams', undefined],
        ['PUT', '/v1/admin/routes/x', { targets: [{ upstream: 'from-file' }] }],
      ] as const) {
        const refused = await call(narrow.url, admin, method, path, body);
        expect(refused.status).toBe(403);
        expect(refused.json.error.code).toBe('not_gateway_admin');
        expect(refused.json.error.message).toContain('platform, sre');
      }
    } finally {
      await narrow.app.close();
    }
  });

  it('never puts the value of a credential on the topic or in an answer, only where it is read from', async () => {
    const name = uniqueName('canary');
    await call(h.url, admin, 'PUT', `/v1/admin/upstreams/${name}`, upstreamBody());
    await call(h.url, admin, 'GET', '/v1/admin/upstreams');
    await call(h.url, admin, 'GET', `/v1/admin/upstreams/${name}`);
    await call(h.url, admin, 'DELETE', `/v1/admin/upstreams/${name}`);

    const messages = await readMessages(
      testKafka(),
      h.topics.controlGatewayRoutes,
      await topicEnd(),
    );
    const ours = messages
      .map((m) => gatewayEntryCodec.decode(m.value!))
      .filter((r) => r.name === name);
    expect(ours.map((r) => [r.revision, r.deleted_at_ms === null])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(JSON.parse(ours[0]!.spec_json!)).toMatchObject({ credential: { env: 'CANARY_KEY' } });
    for (const m of messages) {
      expect(m.value!.includes(CANARY)).toBe(false);
      expect(m.value!.includes(FILE_KEY)).toBe(false);
    }
    for (const text of answers) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(FILE_KEY);
    }
  });
});
