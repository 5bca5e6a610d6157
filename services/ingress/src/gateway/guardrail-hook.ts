import { createHash } from 'node:crypto';
import type { GuardrailDecision } from '@llmops/contracts';
import {
  applyRedactions,
  plantCanary,
  type GuardrailContext,
  type GuardrailEngine,
  type GuardrailItem,
  type GuardrailResult,
  type GuardrailToolHistory,
} from '@llmops/guardrails';
import { ApiError } from '../http/api-error';
import type { TextSlot } from './apis/gateway-api';
import {
  answerText,
  type BeforeResult,
  type CallHook,
  type HookCall,
  type HookVerdict,
} from './call-hooks';
import type { ChatOutcome } from './chat-completion';
import type { ToolHistory } from './tool-history';

/**
 * The guardrail rules (libs/guardrails) on the gateway's hook points: `input` rules before the
 * call (a `redact` rule rewrites the texts the upstream gets, a `block` refuses the call);
 * `output` rules on a streamed answer's text so far (a block ends the stream) and on the whole
 * answer before the client gets it (or before a stream's last event); `tool_call` rules on each
 * tool call the model proposes, before the client gets it (a stream's tool calls are held until
 * they are complete). Each rule's decision is recorded once per call, however often a stream
 * re-checks it. Rules that wait (webhooks) make `before` / `after` return a promise; a stream's
 * text so far is judged by the others only, and the webhooks judge the complete answer.
 *
 * What the checks need besides texts is gathered only when a rule needs it: the system prompt
 * and a canary planted in it (`leakage`), the trace's and session's earlier tool calls from
 * Redis (`tool_limits`, `tool_sequence`), the caller's metadata (`metadata`, always: it is
 * already parsed).
 */
export class GuardrailHook implements CallHook {
  readonly name = 'guardrails';
  /**
   * Per attempt: the engine it began with (rules change live; an attempt is judged by one rule
   * set throughout), the rules that already decided on it, and what `before` learnt of the
   * request for the checks of the answer.
   */
  private readonly calls = new WeakMap<HookCall, CallState>();

  /** `engineFor`: the current engine for a tenant's calls (undefined: no rule applies). */
  constructor(
    private readonly engineFor: (tenant: string) => GuardrailEngine | undefined,
    private readonly toolHistory?: ToolHistory,
  ) {}

  before(
    call: HookCall,
    texts: () => TextSlot[],
  ): BeforeResult | Promise<BeforeResult> | undefined {
    const state = this.stateOf(call);
    const engine = state.engine;
    if (!engine) return undefined;
    const judges = engine.hasRules('input');
    const leakage = engine.uses('leakage');
    if (!judges && !leakage) return undefined;
    const slots = texts();
    if (leakage) state.system = systemPrompt(slots);
    const plant = () => {
      // After the input rules, which judge the client's own texts.
      if (!leakage) return;
      const last = [...slots].reverse().find((s) => isSystem(s.role));
      if (!last) return;
      state.canary = canaryFor(call);
      last.set(plantCanary(last.text, state.canary));
    };
    if (!judges) {
      plant();
      return undefined;
    }
    const item: GuardrailItem = {
      stage: 'input',
      messages: slots.map((s) => ({ role: s.role ?? 'user', content: s.text })),
      context: state.context,
      metadata: state.metadata,
    };
    const decide = (result: GuardrailResult): BeforeResult => {
      if (result.redactions && !result.blocked) {
        const redacted = applyRedactions(item, result.redactions);
        redacted.messages?.forEach((m, i) => {
          if (m.content !== null && m.content !== slots[i]!.text) slots[i]!.set(m.content);
        });
      }
      const verdict = this.verdict(call, result);
      if (!verdict.block) plant();
      return verdict;
    };
    return engine.hasAsync('input')
      ? engine.evaluateAsync(item).then(decide)
      : decide(engine.evaluate(item));
  }

  during(call: HookCall, text: string): HookVerdict | undefined {
    const engine = this.stateOf(call).engine;
    if (!engine?.hasRules('output')) return undefined;
    return this.verdict(
      call,
      engine.evaluate(this.answerItem(call, { stage: 'output', text }), undefined, {
        skipAsync: true,
      }),
    );
  }

  judgesToolCalls(call: HookCall): boolean {
    return this.stateOf(call).engine?.hasRules('tool_call') ?? false;
  }

  after(
    call: HookCall,
    outcome: ChatOutcome,
  ): HookVerdict | Promise<HookVerdict | undefined> | undefined {
    const engine = this.stateOf(call).engine;
    if (!engine) return undefined;
    const output = engine.hasRules('output')
      ? this.answerItem(call, { stage: 'output', text: answerText(outcome) })
      : undefined;
    const toolCalls = engine.hasRules('tool_call')
      ? outcome.choices.flatMap((c) => c.toolCalls)
      : [];
    const needsHistory =
      toolCalls.length > 0 &&
      this.toolHistory !== undefined &&
      (engine.uses('tool_limits', 'tool_call') || engine.uses('tool_sequence', 'tool_call'));
    const waits =
      needsHistory ||
      (output !== undefined && engine.hasAsync('output')) ||
      (toolCalls.length > 0 && engine.hasAsync('tool_call'));
    const toolItem = (tc: { name: string; arguments: string }, history?: GuardrailToolHistory) =>
      this.answerItem(call, {
        stage: 'tool_call',
        tool_call: { name: tc.name, arguments: tc.arguments },
        ...(history ? { tool_history: history } : {}),
      });
    const combine = (results: GuardrailResult[]): HookVerdict => {
      const verdicts = results.map((r) => this.verdict(call, r));
      return {
        decisions: verdicts.flatMap((v) => v.decisions ?? []),
        block: verdicts.find((v) => v.block)?.block,
      };
    };
    if (!waits)
      return combine([
        ...(output ? [engine.evaluate(output)] : []),
        ...toolCalls.map((tc) => engine.evaluate(toolItem(tc))),
      ]);
    return (async () => {
      const results: GuardrailResult[] = [];
      if (output) results.push(await engine.evaluateAsync(output));
      const { tenant, caller } = call;
      const store = needsHistory ? this.toolHistory : undefined;
      const history = store
        ? await store.read(tenant, caller.traceId, caller.sessionId)
        : undefined;
      const seen: string[] = [];
      for (const tc of toolCalls) {
        // Each call is judged with the ones before it in the same answer.
        const h = history && {
          trace: [...history.trace, ...seen],
          session: [...history.session, ...seen],
        };
        results.push(await engine.evaluateAsync(toolItem(tc, h)));
        seen.push(tc.name);
      }
      const verdict = combine(results);
      if (store && !verdict.block)
        await store.append(tenant, caller.traceId, caller.sessionId, seen);
      return verdict;
    })();
  }

  /** An item of the answer, with what checks of answers need: system prompt, canary, metadata. */
  private answerItem(
    call: HookCall,
    item: Omit<GuardrailItem, 'context' | 'metadata' | 'system_prompt' | 'canary'>,
  ): GuardrailItem {
    const state = this.stateOf(call);
    return {
      ...item,
      context: state.context,
      metadata: state.metadata,
      ...(state.system !== undefined ? { system_prompt: state.system } : {}),
      ...(state.canary !== undefined ? { canary: state.canary } : {}),
    };
  }

  /** The attempt's state, made on first sight (`before`, which every attempt goes through). */
  private stateOf(call: HookCall): CallState {
    let state = this.calls.get(call);
    if (!state)
      this.calls.set(
        call,
        (state = {
          engine: this.engineFor(call.tenant),
          decided: new Set(),
          context: contextOf(call),
          metadata: metadataOf(call),
        }),
      );
    return state;
  }

  private verdict(call: HookCall, result: GuardrailResult): HookVerdict {
    const seen = this.stateOf(call).decided;
    const decisions: GuardrailDecision[] = [];
    for (const d of result.decisions) {
      const key = `${d.stage}/${d.rule_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      decisions.push(d);
    }
    return { decisions, block: result.blocked ? blockedBy(result) : undefined };
  }
}

interface CallState {
  engine: GuardrailEngine | undefined;
  decided: Set<string>;
  /** Made once per attempt: a stream's text is judged after every event. */
  context: GuardrailContext;
  metadata: Record<string, string>;
  /** The request's system prompt (system and developer texts), when a `leakage` rule is set. */
  system?: string;
  canary?: string;
}

const isSystem = (role: string | undefined) => role === 'system' || role === 'developer';

function systemPrompt(slots: TextSlot[]): string | undefined {
  const texts = slots.filter((s) => isSystem(s.role)).map((s) => s.text);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/**
 * The canary of a conversation: the same for every call of a session (else of a trace), so the
 * system prompt stays the same from call to call and the upstream's prompt cache keeps working
 * for the conversation; different between conversations and tenants. It is a hash, not a
 * secret: it shows a leak, and is no credential.
 */
function canaryFor(call: HookCall): string {
  const conversation = call.caller.sessionId ?? call.caller.traceId;
  const digest = createHash('sha256').update(`${call.tenant}\n${conversation}`).digest('hex');
  return `llmops-${digest.slice(0, 24)}`;
}

function contextOf(call: HookCall): GuardrailContext {
  return {
    tenant: call.tenant,
    app_id: call.caller.appId,
    ...(call.caller.agentId ? { agent_id: call.caller.agentId } : {}),
    model: call.model,
    endpoint_kind: call.target.upstream.endpointKind,
  };
}

/** The caller's labels and who it says it is, for `metadata` rules (required headers). */
function metadataOf(call: HookCall): Record<string, string> {
  const c = call.caller;
  const ids: Record<string, string | null> = {
    app_id: c.appId,
    user_id: c.userId,
    session_id: c.sessionId,
    agent_id: c.agentId,
    agent_name: c.agentName,
    agent_version: c.agentVersion,
  };
  const out: Record<string, string> = { ...c.labels };
  for (const [k, v] of Object.entries(ids)) if (v !== null) out[k] = v;
  return out;
}

/** The client's error for a blocked call: the rule and revision that blocked it, never the text. */
function blockedBy(result: GuardrailResult): ApiError {
  const d =
    result.decisions.find((x) => x.action === 'block' && x.outcome === 'violated') ??
    result.decisions.find((x) => x.outcome === 'error_blocked')!;
  const why =
    d.outcome === 'error_blocked'
      ? 'its check failed and the rule fails closed'
      : `it found what the rule forbids${d.detail ? ` (${d.detail})` : ''}`;
  return new ApiError(
    400,
    'guardrail_blocked',
    `guardrail rule '${d.rule_id}' (revision ${d.rule_revision}, ${d.stage}) blocked this call: ${why}`,
    [{ path: d.stage === 'input' ? 'messages' : 'output', message: `blocked by ${d.rule_id}` }],
  );
}
