import { Partitioners } from 'kafkajs';
import { dlqTopic, invocationCodec, topicNames } from '@llmops/contracts';
import { toDlqMessage } from '@llmops/kafka';
import { readMessages, testKafka, uniqueName, waitFor } from '@llmops/testing';
import { llmops } from './run-cli';

const CANARY = 'canary-prompt-9c41e';

function invocation(eventId: string): Buffer {
  return invocationCodec.encode(
    invocationCodec.fromJson({
      event_id: eventId,
      tenant_id: 'acme',
      app_id: 'support-bot',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      operation: 'chat',
      provider_name: 'openai',
      request_model: 'gpt-4o',
      start_time_ms: 1_750_000_000_000,
      endpoint: { host: 'api.openai.com', kind: 'external' },
      input_messages: [{ role: 'user', content: `my secret is ${CANARY}` }],
      output_messages: [{ role: 'assistant', content: `noted: ${CANARY}` }],
      status: 'ok',
    }),
  );
}

interface ListedJson {
  dead_letters: Array<{ address: string; error_class: string; replayed_at: string | null }>;
  counts: Array<{ error_class: string; reason: string; count: number }>;
}

describe('llmops dlq against a real Kafka', () => {
  const prefix = `${uniqueName('t-cli')}.`;
  const topics = topicNames(prefix);
  const env = { TOPIC_PREFIX: prefix };
  const kafka = testKafka('cli-dlq-test');

  /** Messages on the topic: its partitions' end offsets added up (nothing else writes to it). */
  async function messageCount(topic: string): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      // A topic just created may be unknown to the broker for a moment.
      const offsets = await waitFor(`the offsets of ${topic}`, () =>
        admin.fetchTopicOffsets(topic),
      );
      return offsets.reduce((n, o) => n + Number(o.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  beforeAll(async () => {
    expect((await llmops(['topics', 'ensure'], env)).code).toBe(0);
    // Dead letters exactly as the consumer runner writes them.
    const failed = (value: Buffer, offset: string, name: string, error: string) =>
      toDlqMessage({
        topic: topics.invocations,
        partition: 0,
        message: {
          key: Buffer.from('acme/0af7651916cd43dd8448eb211c80319c'),
          value,
          timestamp: String(Date.now()),
          attributes: 0,
          offset,
          headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
        },
        error: Object.assign(new Error(error), { name }),
        attempts: name === 'DecodeError' ? 1 : 5,
        groupId: 'llmops-pii-scanner',
      }).message;
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: dlqTopic(topics.invocations),
      acks: -1,
      messages: [
        failed(invocation('evt-1'), '10', 'UpstreamBug', 'handler failed: tokenizer crashed'),
        failed(invocation('evt-2'), '11', 'UpstreamBug', 'handler failed: tokenizer crashed'),
        failed(Buffer.from([0xff, 0x00, 0x13]), '12', 'DecodeError', 'bad C3 01 header'),
      ],
    });
    await producer.disconnect();
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    await admin.deleteTopics({ topics: mine });
    await admin.disconnect();
  });

  it('lists the dead letters of every platform DLQ with the count per reason', async () => {
    const run = await llmops(['dlq', 'list'], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith(dlqTopic(topics.invocations)))).toHaveLength(3);
    expect(run.stdout).toMatch(
      new RegExp(
        `from ${topics.invocations.replace(/\./g, '\\.')}/0/12  group llmops-pii-scanner  DecodeError  attempts 1  failed \\S+  not replayed  bad C3 01 header`,
      ),
    );
    expect(run.stdout).toContain('3 dead letters');
    expect(run.stdout).toContain('  2  UpstreamBug: handler failed: tokenizer crashed');
    expect(run.stdout).toContain('  1  DecodeError: bad C3 01 header');

    const json = JSON.parse(
      (await llmops(['dlq', 'list', '--where', 'class=DecodeError', '--json'], env)).stdout,
    ) as ListedJson;
    expect(json.dead_letters.map((d) => d.error_class)).toEqual(['DecodeError']);
    expect(json.counts).toEqual([
      { error_class: 'DecodeError', reason: 'bad C3 01 header', count: 1 },
    ]);
  });

  it('shows one dead letter with its headers and a summary of the record, never its text', async () => {
    const listed = JSON.parse((await llmops(['dlq', 'list', '--json'], env)).stdout) as ListedJson;
    const good = listed.dead_letters.find((d) => d.error_class === 'UpstreamBug')!;
    const poison = listed.dead_letters.find((d) => d.error_class === 'DecodeError')!;

    const shown = await llmops(['dlq', 'show', good.address], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`dead letter ${good.address}`);
    expect(shown.stdout).toMatch(/llmops-dlq-error-class: UpstreamBug/);
    expect(shown.stdout).toMatch(/record +invocation \(ids and sizes only\)/);
    expect(shown.stdout).toMatch(/event_id: evt-[12]/);
    expect(shown.stdout).toContain(`input_chars: ${`my secret is ${CANARY}`.length}`);
    expect(shown.stdout + shown.stderr).not.toContain(CANARY);
    const json = JSON.stringify(
      JSON.parse((await llmops(['dlq', 'show', good.address, '--json'], env)).stdout),
    );
    expect(json).not.toContain(CANARY);

    const bad = await llmops(['dlq', 'show', poison.address], env);
    expect(bad.stdout).toMatch(/value +3 bytes/);
    expect(bad.stdout).toMatch(/record +does not decode as invocation: .*C3 01 header/);

    const missing = await llmops(['dlq', 'show', `${dlqTopic(topics.invocations)}/0/999`], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no dead letter at .*\/0\/999/);
  });

  it('replays each dead letter to its source topic exactly once, even when run twice', async () => {
    const dry = await llmops(['dlq', 'replay', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would replay 3 dead letters');
    expect(await messageCount(topics.invocations)).toBe(0);

    const some = await llmops(
      ['dlq', 'replay', '--where', 'reason=tokenizer', '--since', '1h'],
      env,
    );
    expect(some.code).toBe(0);
    expect(some.stdout).toContain('replayed 2 dead letters');
    expect(some.stdout).toContain(`  2  ${topics.invocations}`);

    const rest = await llmops(['dlq', 'replay'], env);
    expect(rest.stdout).toContain('replayed 1 dead letter\n');
    expect(rest.stdout).toContain('left out 2 already replayed; --again sends them again');

    const twice = await llmops(['dlq', 'replay', '--json'], env);
    expect(JSON.parse(twice.stdout)).toEqual({
      dry_run: false,
      replayed: {},
      dead_letters: [],
      already_replayed: 3,
    });
    expect(await messageCount(topics.invocations)).toBe(3);
    const back = await readMessages(kafka, topics.invocations, 3);
    expect(back.map((m) => m.headers['llmops-replayed-from']).sort()).toEqual(
      (JSON.parse((await llmops(['dlq', 'list', '--json'], env)).stdout) as ListedJson).dead_letters
        .map((d) => d.address)
        .sort(),
    );
    for (const m of back) expect(m.headers.traceparent).toMatch(/^00-0af76519/);
    for (const m of back)
      expect(Object.keys(m.headers).some((h) => h.startsWith('llmops-dlq-'))).toBe(false);

    const listed = JSON.parse((await llmops(['dlq', 'list', '--json'], env)).stdout) as ListedJson;
    expect(listed.dead_letters.every((d) => d.replayed_at !== null)).toBe(true);
    const again = await llmops(['dlq', 'replay', '--again', '--dry-run'], env);
    expect(again.stdout).toContain('would replay 3 dead letters');
  });

  it('refuses a DLQ topic that does not exist, and bad selections, saying what is wrong', async () => {
    const none = await llmops(['dlq', 'list', '--topic', `${prefix}nothing.v1`], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/there is no topic .*nothing\.v1\.dlq/);
    const since = await llmops(['dlq', 'replay', '--since', 'yesterday'], env);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since 'yesterday' is neither an ISO 8601 time/);
  });
});
