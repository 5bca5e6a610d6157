import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  INVOCATION_LIMITS as L,
  INVOCATION_PATTERNS,
  invocationCodec,
  type Invocation,
  type GatewayAttempt,
  type GuardrailDecision,
  type Operation,
} from '@llmops/contracts';
import { ApiError } from '../http/api-error';
import type { CallInput } from './apis/gateway-api';
import type { ChatOutcome } from './chat-completion';
import type { RouteTarget } from './gateway-config';
import type { HoldAmount } from '@llmops/pricing';
import type { PiiOutcome } from './pii-guard';
import { countedUsage } from './token-counter';

/** Who is calling, from the `x-llmops-*` headers and `traceparent` the app sends. */
export interface CallerContext {
  appId: string;
  userId: string | null;
  sessionId: string | null;
  agentId: string | null;
  agentName: string | null;
  agentVersion: string | null;
  traceId: string;
  /** This call's own span, and the caller's span it belongs under. */
  spanId: string;
  parentSpanId: string | null;
  labels: Record<string, string>;
}

/** 32 random hex digits from randomUUID's cached entropy (randomBytes made a system call per id). */
const DASHES = /-/g;
const randomHex32 = () => randomUUID().replace(DASHES, '');
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const DEFAULT_APP = 'gateway';

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The caller's context, or a 400 naming the header that is malformed. */
export function callerContext(h: IncomingHttpHeaders, bodyUser: unknown): CallerContext {
  const bad = (name: string, what: string) =>
    new ApiError(400, 'invalid_header', `header ${name} ${what}`, [{ path: name, message: what }]);
  const ref = (name: string): string | null => {
    const v = header(h, name);
    if (v === undefined || v === '') return null;
    if (v.length > L.refMaxChars) throw bad(name, `must be at most ${L.refMaxChars} characters`);
    return v;
  };
  const app = header(h, 'x-llmops-app-id') ?? DEFAULT_APP;
  if (!INVOCATION_PATTERNS.appId.test(app) || app.length > L.idMaxChars)
    throw bad(
      'x-llmops-app-id',
      `must be 1-${L.idMaxChars} characters of letters, digits, . _ : -`,
    );
  const user =
    ref('x-llmops-user-id') ??
    (typeof bodyUser === 'string' && bodyUser ? bodyUser.slice(0, L.refMaxChars) : null);
  const tp = header(h, 'traceparent');
  const trace = tp ? TRACEPARENT.exec(tp) : null;
  if (tp && (!trace || /^0+$/.test(trace[1]!) || /^0+$/.test(trace[2]!)))
    throw bad(
      'traceparent',
      'must be a W3C traceparent: 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>',
    );
  return {
    appId: app,
    userId: user,
    sessionId: ref('x-llmops-session-id'),
    agentId: ref('x-llmops-agent-id'),
    agentName: ref('x-llmops-agent-name'),
    agentVersion: ref('x-llmops-agent-version'),
    traceId: trace ? trace[1]! : randomHex32(),
    spanId: randomHex32().slice(0, 16),
    parentSpanId: trace ? trace[2]! : null,
    labels: labelsHeader(header(h, 'x-llmops-labels'), bad),
  };
}

/** `x-llmops-labels: team=search, env=prod`. */
function labelsHeader(
  v: string | undefined,
  bad: (name: string, what: string) => ApiError,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!v) return out;
  for (const pair of v.split(',')) {
    if (!pair.trim()) continue;
    const eq = pair.indexOf('=');
    const k = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
    if (!INVOCATION_PATTERNS.labelKey.test(k) || k.length > L.labelKeyMaxChars)
      throw bad(
        'x-llmops-labels',
        'must be key=value pairs separated by commas; keys are letters, digits, . _ : / -',
      );
    if (value.length > L.labelValueMaxChars)
      throw bad('x-llmops-labels', `values must be at most ${L.labelValueMaxChars} characters`);
    out[k] = value;
  }
  if (Object.keys(out).length > L.maxLabels)
    throw bad('x-llmops-labels', `must hold at most ${L.maxLabels} labels`);
  return out;
}

export interface GatewayCall {
  eventId: string;
  tenant: string;
  caller: CallerContext;
  operation: Operation;
  /** The client's request body (parsed), as received. */
  request: Record<string, unknown>;
  /** What the record keeps of the request's input (the API reads it from `request`). */
  input: CallInput;
  /** The target the last attempt went to; null when none was made. */
  target: RouteTarget | null;
  /** Every attempt at an upstream, in order (empty when the call was refused before any). */
  attempts: GatewayAttempt[];
  startMs: number;
  durationMs: number;
  timeToFirstTokenMs: number | null;
  outcome: ChatOutcome | null;
  /** What the PII policy did to the request, when one applied. */
  pii?: PiiOutcome;
  /** Set when the call did not succeed: `http_429`, `timeout`, `client_aborted`, a refusal code… */
  errorType: string | null;
  errorMessage: string | null;
  /** The guardrail decisions the hooks made on the call (those that fired or failed). */
  guardrails: GuardrailDecision[];
  /** Set when the call's record goes to the spool (Kafka does not take records now). */
  spool?: boolean;
  /** Set once the record was kept (spooled) before the answer's end: the tokens it used. */
  kept?: HoldAmount;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The one invocation record of a gateway call, within INVOCATION_LIMITS. */
export function gatewayRecord(c: GatewayCall): Invocation {
  const req = c.request;
  const outcome = c.outcome;
  const choices = outcome?.choices ?? [];
  const maxTokens = num(req.max_completion_tokens) ?? num(req.max_tokens);
  // What the upstream reported; else counted from what was sent and received (a stream the
  // client or the upstream cut short included); nothing when there was no answer at all.
  const usage =
    outcome?.usage ??
    (outcome
      ? countedUsage(c.input, outcome, c.operation !== 'embeddings', toolsText(c.request))
      : null);
  const input = usage?.inputTokens ?? 0;
  const cached = Math.min(usage?.cachedInputTokens ?? 0, input);
  const requestModel =
    typeof req.model === 'string' ? req.model.slice(0, L.modelMaxChars) : 'unknown';
  const record = {
    event_id: c.eventId,
    tenant_id: c.tenant,
    app_id: c.caller.appId,
    user_id: c.caller.userId,
    agent_id: c.caller.agentId,
    agent_name: c.caller.agentName,
    agent_version: c.caller.agentVersion,
    conversation_id: c.caller.sessionId,
    trace_id: c.caller.traceId,
    span_id: c.caller.spanId,
    parent_span_id: c.caller.parentSpanId,
    operation: c.operation,
    provider_name: c.target?.upstream.provider ?? 'unknown',
    request_model: requestModel,
    response_model: outcome?.responseModel?.slice(0, L.modelMaxChars) ?? null,
    response_id: outcome?.responseId?.slice(0, L.refMaxChars) ?? null,
    endpoint: c.target
      ? { host: c.target.upstream.baseUrl.host, kind: c.target.upstream.endpointKind }
      : { host: null, kind: 'external' },
    request: {
      temperature: clamp(num(req.temperature), 0, L.maxTemperature),
      top_p: clamp(num(req.top_p), 0, L.maxTopP),
      max_tokens: maxTokens !== null ? clamp(Math.floor(maxTokens), 0, L.maxTokens) : null,
      stream: req.stream === true,
    },
    system_instructions: c.input.system,
    input_messages: c.input.messages.slice(-L.maxMessages).map((m) => ({
      role: m.role.slice(0, L.roleMaxChars),
      content: m.content,
      name: m.name?.slice(0, L.refMaxChars) ?? null,
      tool_call_id: m.tool_call_id?.slice(0, L.refMaxChars) ?? null,
    })),
    output_messages: choices.slice(0, L.maxMessages).map((ch) => ({
      role: ch.role.slice(0, L.roleMaxChars),
      content: ch.content,
      name: null,
      tool_call_id: null,
    })),
    tool_calls: choices
      .flatMap((ch) => ch.toolCalls)
      .slice(0, L.maxToolCalls)
      .map((tc) => ({
        id: tc.id?.slice(0, L.refMaxChars) ?? null,
        name: (tc.name || 'unknown').slice(0, L.toolNameMaxChars),
        arguments: tc.arguments,
        result: null,
      })),
    retrievals: [],
    usage: {
      input_tokens: usage?.inputTokens ?? 0,
      output_tokens: usage?.outputTokens ?? 0,
      cached_input_tokens: cached,
      reasoning_tokens: Math.min(usage?.reasoningTokens ?? 0, usage?.outputTokens ?? 0),
      cache_creation_input_tokens: Math.min(usage?.cacheCreationTokens ?? 0, input - cached),
    },
    finish_reasons: choices
      .map((ch) => ch.finishReason)
      .filter((f): f is string => f !== null)
      .slice(0, L.maxFinishReasons)
      .map((f) => f.slice(0, L.finishReasonMaxChars)),
    start_time_ms: c.startMs,
    duration_ms: c.durationMs,
    time_to_first_token_ms:
      c.timeToFirstTokenMs !== null ? Math.min(c.timeToFirstTokenMs, c.durationMs) : null,
    status: c.errorType ? 'error' : 'ok',
    error_type: c.errorType?.slice(0, L.errorTypeMaxChars) ?? null,
    error_message: c.errorMessage?.slice(0, L.errorMessageMaxChars) ?? null,
    gateway: {
      route: requestModel,
      upstream: c.target?.upstream.name ?? null,
      upstream_model: c.target?.model ?? null,
      attempts: c.attempts.slice(0, L.maxGatewayAttempts),
      usage_source: !outcome ? 'missing' : outcome.usage ? 'reported' : 'counted',
      pii_action: c.pii?.action ?? null,
      pii_types: c.pii?.types ?? [],
    },
    source: 'gateway',
    guardrails: c.guardrails,
    labels: c.caller.labels,
    received_at_ms: c.startMs,
    redaction: null,
  };
  return invocationCodec.fromJson(record);
}

/** The request's tool definitions as the model reads them (they count as prompt tokens). */
function toolsText(request: Record<string, unknown>): string | undefined {
  return Array.isArray(request.tools) && request.tools.length > 0
    ? JSON.stringify(request.tools)
    : undefined;
}

function clamp(v: number | null, min: number, max: number): number | null {
  return v === null ? null : Math.min(max, Math.max(min, v));
}
