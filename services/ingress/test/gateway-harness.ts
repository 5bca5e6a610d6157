import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { invocationCodec, type Invocation } from '@llmops/contracts';
import { closableConsumer } from '@llmops/kafka';
import { testKafka, uniqueName, waitFor } from '@llmops/testing';
import { startHarness, type IngressHarness } from './ingress-harness';

export interface GatewayHarness extends IngressHarness {
  /** The one record of the call `eventId`, once it is on the invocations topic. */
  recordOf(eventId: string | null): Promise<Invocation>;
  /** Every record read so far, by event id. */
  records: Map<string, Invocation[]>;
}

/**
 * An ingress whose gateway reads `yaml` (upstreams and routes) with `env` (credentials), and a
 * reader of everything it writes on the invocations topic.
 */
export async function startGatewayHarness(
  yaml: string[],
  env: Record<string, string> = {},
): Promise<GatewayHarness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'llmops-gateway-'));
  const file = path.join(dir, 'gateway.yaml');
  writeFileSync(file, yaml.join('\n'));
  const h = await startHarness({ GATEWAY_CONFIG_FILE: file, ...env });
  const records = new Map<string, Invocation[]>();
  const reader = closableConsumer(testKafka('gateway-test-reader'), {
    groupId: uniqueName('gateway-reader'),
    maxWaitTimeInMs: 100,
  });
  await reader.connect();
  await reader.subscribe({ topic: h.topics.invocations, fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const r = invocationCodec.decode(message.value!);
      records.set(r.event_id, [...(records.get(r.event_id) ?? []), r]);
    },
  });
  return {
    ...h,
    records,
    recordOf: async (eventId) => {
      expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
      const found = await waitFor(`the gateway record of ${eventId}`, () => records.get(eventId!));
      expect(found).toHaveLength(1);
      return found[0]!;
    },
    close: async () => {
      await reader.disconnect();
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
