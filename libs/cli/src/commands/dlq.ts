import { parseArgs } from 'node:util';
import type { IHeaders, Kafka } from 'kafkajs';
import {
  DlqSelectionError,
  ReplayMarks,
  countByReason,
  findDeadLetter,
  formatAddress,
  headerText,
  matchesFilter,
  parseAddress,
  parseSince,
  parseWhere,
  platformDlqTopics,
  readDeadLetters,
  replayDeadLetters,
  sourceCodecs,
  summarizeDeadLetter,
  toDlqTopicName,
  type DeadLetterFilter,
  type DeadLetterRecord,
} from '@llmops/kafka';
import { UsageError } from '../args';
import { explainKafkaError, type CliContext } from '../context';

export const dlqHelp = `llmops dlq list [--topic T] [--since 1h|<ISO time>] [--where reason=<text>] [--json]
                   the dead letters of every platform DLQ (or of T, a source topic or its .dlq), one a
                   line: address, source record, consumer group, error class, attempts, failed-at,
                   replay, reason; then the count per reason. --where also takes class=<error class>
                   and group=<consumer group>, and may be repeated (all must hold)
llmops dlq show <dlq-topic>/<partition>/<offset> [--json]
                   one dead letter: its headers, key, value size and, when it decodes with its source
                   topic's codec, the record's ids and sizes (never prompt or response text)
llmops dlq replay [--topic T] [--since …] [--where …] [--dry-run] [--again] [--json]
                   sends the selected dead letters back to their source topic: same key and bytes,
                   original headers plus llmops-replayed-from; prints the count per source topic.
                   A replay mark (topic llmops.control.dlq-replays.v1) keeps a second run from sending
                   a dead letter again unless --again; --dry-run lists what would go. Consumers are
                   idempotent on the event id, so a replayed event is never counted twice`;

type Sub = 'list' | 'show' | 'replay';

export interface DlqArgs {
  sub: Sub;
  address?: string;
  topic?: string;
  filter: DeadLetterFilter;
  json: boolean;
  dryRun: boolean;
  again: boolean;
}

/** The command line of `llmops dlq`, checked before anything talks to Kafka. */
export function parseDlqArgs(argv: string[], nowMs: number): DlqArgs {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'show' && sub !== 'replay') {
    throw new UsageError(`dlq: expected list, show or replay\n${dlqHelp}`);
  }
  const selecting = sub !== 'show';
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: sub === 'show',
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        ...(selecting
          ? {
              topic: { type: 'string' },
              since: { type: 'string' },
              where: { type: 'string', multiple: true },
            }
          : {}),
        ...(sub === 'replay'
          ? { 'dry-run': { type: 'boolean', default: false }, again: { type: 'boolean' } }
          : {}),
      },
    });
  } catch (err) {
    throw new UsageError(`dlq ${sub}: ${(err as Error).message}`);
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  try {
    const filter: DeadLetterFilter = parseWhere((v.where as string[] | undefined) ?? []);
    if (typeof v.since === 'string') filter.sinceMs = parseSince(v.since, nowMs);
    const args: DlqArgs = {
      sub,
      filter,
      json: v.json === true,
      dryRun: v['dry-run'] === true,
      again: v.again === true,
      ...(typeof v.topic === 'string' ? { topic: v.topic } : {}),
    };
    if (sub === 'show') {
      const [address, ...extra] = parsed.positionals;
      if (!address || extra.length > 0) {
        throw new UsageError(
          'dlq show: give one address <dlq-topic>/<partition>/<offset> (see `llmops dlq list`)',
        );
      }
      parseAddress(address);
      args.address = address;
    }
    return args;
  } catch (err) {
    if (err instanceof DlqSelectionError) throw new UsageError(`dlq ${sub}: ${err.message}`);
    throw err;
  }
}

/** Text that is safe to print on one line: printable and short, else only its size. */
export function printable(value: Buffer | string | null | undefined, max = 200): string {
  if (value === null || value === undefined) return '(none)';
  const text = value.toString();
  if (/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/.test(text)) return `<${value.length} bytes>`;
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max)}… (${text.length} chars)` : line;
}

function iso(ms: number | undefined): string {
  return ms !== undefined && Number.isFinite(ms) ? new Date(ms).toISOString() : '?';
}

function source(r: DeadLetterRecord): string {
  return `${r.sourceTopic}/${r.sourcePartition}/${r.sourceOffset}`;
}

/** One line of `llmops dlq list`. */
export function listLine(r: DeadLetterRecord, replayedAtMs: number | undefined): string {
  const replay = replayedAtMs === undefined ? 'not replayed' : `replayed ${iso(replayedAtMs)}`;
  return [
    formatAddress(r.address),
    `from ${source(r)}`,
    `group ${r.consumerGroup || '?'}`,
    r.errorClass || '?',
    `attempts ${r.attempts}`,
    `failed ${iso(r.failedAtMs)}`,
    replay,
    printable(r.error),
  ].join('  ');
}

function asJson(r: DeadLetterRecord, replayedAtMs: number | undefined) {
  return {
    address: formatAddress(r.address),
    dlq_topic: r.address.topic,
    partition: r.address.partition,
    offset: r.address.offset,
    source_topic: r.sourceTopic,
    source_partition: r.sourcePartition,
    source_offset: r.sourceOffset,
    group: r.consumerGroup,
    error_class: r.errorClass,
    reason: r.error,
    attempts: r.attempts,
    failed_at: Number.isFinite(r.failedAtMs) ? iso(r.failedAtMs) : null,
    replayed_at: replayedAtMs === undefined ? null : iso(replayedAtMs),
  };
}

/** The DLQ topics to read: `--topic`'s, or every platform DLQ that exists. */
async function dlqTopics(ctx: CliContext, kafka: Kafka, topic: string | undefined) {
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics().finally(() => admin.disconnect()));
  if (topic === undefined) return platformDlqTopics(ctx.topics).filter((t) => existing.has(t));
  const dlq = toDlqTopicName(topic);
  if (!existing.has(dlq)) {
    throw new UsageError(`dlq: there is no topic ${dlq} on ${ctx.endpoints.kafkaBrokers}`);
  }
  return [dlq];
}

async function selected(ctx: CliContext, kafka: Kafka, args: DlqArgs) {
  const all = await readDeadLetters(kafka, await dlqTopics(ctx, kafka, args.topic));
  return all.filter((r) => matchesFilter(r, args.filter));
}

async function list(ctx: CliContext, kafka: Kafka, args: DlqArgs): Promise<void> {
  const records = await selected(ctx, kafka, args);
  const marks = await ReplayMarks.load(kafka, ctx.topics.controlDlqReplays);
  const counts = countByReason(records);
  if (args.json) {
    ctx.out(
      JSON.stringify({
        dead_letters: records.map((r) => asJson(r, marks.replayedAt(r))),
        counts: counts.map((c) => ({
          error_class: c.errorClass,
          reason: c.reason,
          count: c.count,
        })),
      }),
    );
    return;
  }
  for (const r of records) ctx.out(listLine(r, marks.replayedAt(r)));
  ctx.out(`${records.length} dead letter${records.length === 1 ? '' : 's'}`);
  for (const c of counts) ctx.out(`  ${c.count}  ${c.errorClass || '?'}: ${printable(c.reason)}`);
}

function headerLines(headers: IHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, printable(headerText(value))]),
  );
}

async function show(ctx: CliContext, kafka: Kafka, args: DlqArgs): Promise<number> {
  const address = parseAddress(args.address!);
  const r = await findDeadLetter(kafka, address);
  if (!r) {
    ctx.err(`no dead letter at ${formatAddress(address)}; \`llmops dlq list\` lists them`);
    return 1;
  }
  const replayedAt = (await ReplayMarks.load(kafka, ctx.topics.controlDlqReplays)).replayedAt(r);
  const decoded = summarizeDeadLetter(sourceCodecs(ctx.topics), r.sourceTopic, r.value);
  const view = {
    ...asJson(r, replayedAt),
    key: r.key === null ? null : printable(r.key),
    value_bytes: r.value?.length ?? 0,
    headers: headerLines(r.headers),
    record: decoded,
  };
  if (args.json) {
    ctx.out(JSON.stringify(view));
    return 0;
  }
  ctx.out(`dead letter ${view.address}`);
  ctx.out(`  source      ${source(r)}`);
  ctx.out(`  group       ${r.consumerGroup}`);
  ctx.out(`  error       ${r.errorClass}: ${printable(r.error, 2_000)}`);
  ctx.out(`  attempts    ${r.attempts}`);
  ctx.out(`  failed at   ${iso(r.failedAtMs)}`);
  ctx.out(`  replayed    ${replayedAt === undefined ? 'no' : iso(replayedAt)}`);
  ctx.out(`  key         ${view.key ?? '(none)'}`);
  ctx.out(`  value       ${view.value_bytes} bytes`);
  ctx.out('  headers');
  for (const [name, value] of Object.entries(view.headers)) ctx.out(`    ${name}: ${value}`);
  if (decoded.decodes) {
    ctx.out(`  record      ${decoded.kind} (ids and sizes only)`);
    for (const [k, v] of Object.entries(decoded.summary)) ctx.out(`    ${k}: ${String(v)}`);
  } else {
    ctx.out(
      `  record      does not decode${decoded.kind ? ` as ${decoded.kind}` : ''}: ${decoded.error}`,
    );
  }
  return 0;
}

async function replay(ctx: CliContext, kafka: Kafka, args: DlqArgs): Promise<void> {
  const records = await selected(ctx, kafka, args);
  const report = await replayDeadLetters(kafka, records, {
    marksTopic: ctx.topics.controlDlqReplays,
    marksReplicationFactor: ctx.config.TOPIC_REPLICATION_FACTOR,
    again: args.again,
    dryRun: args.dryRun,
  });
  if (args.json) {
    ctx.out(
      JSON.stringify({
        dry_run: report.dryRun,
        replayed: report.perTopic,
        dead_letters: report.replayed.map((r) => formatAddress(r.address)),
        already_replayed: report.alreadyReplayed.length,
      }),
    );
    return;
  }
  if (report.dryRun) {
    for (const r of report.replayed) ctx.out(`${formatAddress(r.address)} -> ${r.sourceTopic}`);
  }
  const verb = report.dryRun ? 'would replay' : 'replayed';
  ctx.out(
    `${verb} ${report.replayed.length} dead letter${report.replayed.length === 1 ? '' : 's'}`,
  );
  for (const [topic, n] of Object.entries(report.perTopic)) ctx.out(`  ${n}  ${topic}`);
  if (report.alreadyReplayed.length > 0) {
    ctx.out(`left out ${report.alreadyReplayed.length} already replayed; --again sends them again`);
  }
}

export async function dlqCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const args = parseDlqArgs(argv, Date.now());
  const kafka = ctx.kafka();
  try {
    if (args.sub === 'show') return await show(ctx, kafka, args);
    if (args.sub === 'list') await list(ctx, kafka, args);
    else await replay(ctx, kafka, args);
    return 0;
  } catch (err) {
    throw err instanceof UsageError ? err : explainKafkaError(ctx, err);
  }
}
