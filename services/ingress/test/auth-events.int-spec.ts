import { securityEventCodec, type SecurityEvent } from '@llmops/contracts';
import { testKafka, uniqueName, waitFor } from '@llmops/testing';
import type { Consumer } from 'kafkajs';
import { event, post, startHarness, type IngressHarness } from './ingress-harness';

describe('authentication failures reach the SOC', () => {
  let h: IngressHarness;
  let consumer: Consumer;
  const seen: SecurityEvent[] = [];

  beforeAll(async () => {
    h = await startHarness();
    consumer = testKafka().consumer({ groupId: uniqueName('t-soc'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: h.topics.securityEvents, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void seen.push(securityEventCodec.decode(message.value!)),
    });
  });
  afterAll(async () => {
    await consumer.disconnect();
    await h.close();
  });

  const find = (reason: string, keyId?: string, tenant?: string) =>
    seen.find(
      (e) =>
        e.auth?.reason === reason &&
        (keyId === undefined || e.actor.api_key_id === keyId) &&
        (tenant === undefined || e.tenant_id === tenant),
    );

  it('publishes a security event per failure, with the key id and tenant but never the key', async () => {
    const good = await h.key('acme', ['ingest']);
    const goodId = good.split('_')[1]!;
    const queryOnly = await h.key('acme', ['query']);
    const revoked = await h.key('acme', ['ingest']);
    const revokedId = revoked.split('_')[1]!;
    await h.keys.start();
    await h.keys.revoke(revokedId);
    await waitFor(
      'the revocation to reach the ingress',
      async () => (await post(h.url, revoked, event())).status === 401,
    );
    const guessed = good.slice(0, -4) + (good.endsWith('AAAA') ? 'BBBB' : 'AAAA');

    expect((await post(h.url, undefined, event())).status).toBe(401);
    expect((await post(h.url, guessed, event())).status).toBe(401);
    expect((await post(h.url, queryOnly, event())).status).toBe(403);

    await waitFor(
      'the four kinds of failure on the security topic',
      () =>
        ['missing_credentials', 'insufficient_scope', 'revoked_key'].every((r) => find(r)) &&
        // A wrong secret for a real key id: the tenant is known. (While a new key is still
        // on its way to the ingress, its id is unknown and such events carry no tenant.)
        find('unknown_key', goodId, 'acme'),
    );
    expect(find('revoked_key', revokedId)).toMatchObject({
      category: 'revoked_key_use',
      severity: 'high',
      outcome: 'blocked',
      tenant_id: 'acme',
      reporter: 'ingress',
      target: { http_method: 'POST', http_path: '/v1/events' },
    });
    expect(find('unknown_key', goodId, 'acme')).toMatchObject({
      category: 'authentication_failure',
      severity: 'medium',
      tenant_id: 'acme',
    });
    expect(find('missing_credentials')).toMatchObject({
      category: 'authentication_failure',
      severity: 'low',
      tenant_id: null,
    });
    expect(find('insufficient_scope')).toMatchObject({
      tenant_id: 'acme',
      auth: { required_scope: 'ingest' },
    });
    const text = JSON.stringify(seen);
    for (const secret of [good, guessed, queryOnly, revoked]) expect(text).not.toContain(secret);
  });
});
