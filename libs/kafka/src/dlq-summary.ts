import {
  budgetEventCodec,
  guardrailFindingCodec,
  invocationCodec,
  piiFindingCodec,
  securityEventCodec,
  type BudgetEvent,
  type EventCodec,
  type GuardrailFinding,
  type Invocation,
  type PiiFinding,
  type SecurityEvent,
  type TopicNames,
} from '@llmops/contracts';

/** Ids, sizes and counts of a record: what an operator may see of a dead letter. */
export type RecordSummary = Record<string, string | number | boolean | null>;

interface SourceCodec {
  kind: string;
  decode(bytes: Buffer): RecordSummary;
}

function codec<T>(c: EventCodec<T>, summarize: (value: T) => RecordSummary): SourceCodec {
  return { kind: c.kind, decode: (bytes) => summarize(c.decode(bytes)) };
}

const chars = (texts: ReadonlyArray<string | null>) =>
  texts.reduce((n, t) => n + (t?.length ?? 0), 0);

/**
 * An invocation holds raw prompt and response text: the summary keeps its
 * ids, model and status, and of its text only counts and lengths.
 */
function invocationSummary(i: Invocation): RecordSummary {
  return {
    event_id: i.event_id,
    tenant_id: i.tenant_id,
    app_id: i.app_id,
    user_id: i.user_id,
    agent_id: i.agent_id,
    trace_id: i.trace_id,
    span_id: i.span_id,
    operation: i.operation,
    provider_name: i.provider_name,
    request_model: i.request_model,
    endpoint_kind: i.endpoint.kind,
    status: i.status,
    start_time: new Date(i.start_time_ms).toISOString(),
    input_messages: i.input_messages.length,
    input_chars: chars(i.input_messages.map((m) => m.content)),
    output_messages: i.output_messages.length,
    output_chars: chars(i.output_messages.map((m) => m.content)),
    system_instructions_chars: i.system_instructions?.length ?? 0,
    tool_calls: i.tool_calls.length,
    retrievals: i.retrievals.length,
    input_tokens: i.usage.input_tokens,
    output_tokens: i.usage.output_tokens,
    redacted: i.redaction !== null,
  };
}

function piiFindingSummary(f: PiiFinding): RecordSummary {
  return {
    finding_id: f.finding_id,
    event_id: f.event_id,
    tenant_id: f.tenant_id,
    trace_id: f.trace_id,
    type: f.type,
    field: f.field,
    start: f.start,
    end: f.end,
    rule: f.rule,
  };
}

function guardrailFindingSummary(f: GuardrailFinding): RecordSummary {
  return {
    finding_id: f.finding_id,
    event_id: f.event_id,
    tenant_id: f.tenant_id,
    trace_id: f.trace_id,
    rule_id: f.rule_id,
    rule_revision: f.rule_revision,
    stage: f.stage,
    outcome: f.outcome,
    mode: f.mode,
  };
}

function securityEventSummary(e: SecurityEvent): RecordSummary {
  return {
    event_id: e.event_id,
    time: new Date(e.time_ms).toISOString(),
    category: e.category,
    severity: e.severity,
    outcome: e.outcome,
    tenant_id: e.tenant_id,
    reporter: e.reporter,
    invocation_id: e.invocation_id,
    trace_id: e.trace_id,
    rule_id: e.rule?.id ?? null,
  };
}

function budgetEventSummary(e: BudgetEvent): RecordSummary {
  return {
    event_id: e.event_id,
    tenant_id: e.tenant_id,
    budget_id: e.budget_id,
    kind: e.kind,
    threshold_pct: e.threshold_pct,
    window: e.window,
    invocation_id: e.invocation_id,
  };
}

/** The codec of each platform topic that carries Avro records, by topic name. */
export function sourceCodecs(topics: TopicNames): Map<string, SourceCodec> {
  const invocation = codec(invocationCodec, invocationSummary);
  return new Map([
    [topics.invocations, invocation],
    [topics.invocationsRedacted, invocation],
    [topics.piiFindings, codec(piiFindingCodec, piiFindingSummary)],
    [topics.guardrailFindings, codec(guardrailFindingCodec, guardrailFindingSummary)],
    [topics.securityEvents, codec(securityEventCodec, securityEventSummary)],
    [topics.budgetEvents, codec(budgetEventCodec, budgetEventSummary)],
  ]);
}

export type DecodedSummary =
  | { kind: string; decodes: true; summary: RecordSummary }
  | { kind: string | null; decodes: false; error: string };

/**
 * Decodes a dead letter's bytes with its source topic's codec and summarizes
 * it. The decode error (what makes a poison message poison) is kept to its
 * first 200 characters; a value never appears in it.
 */
export function summarizeDeadLetter(
  codecs: ReadonlyMap<string, SourceCodec>,
  sourceTopic: string,
  value: Buffer | null,
): DecodedSummary {
  const c = codecs.get(sourceTopic);
  if (!c) return { kind: null, decodes: false, error: `no codec known for ${sourceTopic}` };
  if (value === null) return { kind: c.kind, decodes: false, error: 'the message has no value' };
  try {
    return { kind: c.kind, decodes: true, summary: c.decode(value) };
  } catch (err) {
    return { kind: c.kind, decodes: false, error: String((err as Error).message).slice(0, 200) };
  }
}
