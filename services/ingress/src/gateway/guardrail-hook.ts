import type { GuardrailDecision } from '@llmops/contracts';
import {
  applyRedactions,
  type GuardrailContext,
  type GuardrailEngine,
  type GuardrailItem,
  type GuardrailResult,
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

/**
 * The guardrail rules (libs/guardrails) on the gateway's hook points: `input` rules before the
 * call (a `redact` rule rewrites the texts the upstream gets, a `block` refuses the call), and
 * `output` rules on a streamed answer's text so far (a block ends the stream) and on a whole
 * answer before the client gets it; `tool_call` rules on the tool calls of a non-streamed
 * answer. Each rule's decision is recorded once per call, however often a stream re-checks it.
 */
export class GuardrailHook implements CallHook {
  readonly name = 'guardrails';
  /** The rules that already decided on a call (a stream checks its growing text again and again). */
  private readonly decided = new WeakMap<HookCall, Set<string>>();

  constructor(private readonly engine: GuardrailEngine) {}

  before(call: HookCall, texts: () => TextSlot[]): BeforeResult | undefined {
    if (!this.engine.hasRules('input')) return undefined;
    const slots = texts();
    const item: GuardrailItem = {
      stage: 'input',
      messages: slots.map((s) => ({ role: 'user', content: s.text })),
      context: contextOf(call),
    };
    const result = this.engine.evaluate(item);
    if (result.redactions && !result.blocked) {
      const redacted = applyRedactions(item, result.redactions);
      redacted.messages?.forEach((m, i) => {
        if (m.content !== null && m.content !== slots[i]!.text) slots[i]!.set(m.content);
      });
    }
    return this.verdict(call, result);
  }

  during(call: HookCall, text: string): HookVerdict | undefined {
    if (!this.engine.hasRules('output')) return undefined;
    return this.verdict(
      call,
      this.engine.evaluate({ stage: 'output', text, context: contextOf(call) }),
    );
  }

  after(call: HookCall, outcome: ChatOutcome): HookVerdict | undefined {
    const verdicts: HookVerdict[] = [];
    if (this.engine.hasRules('output'))
      verdicts.push(
        this.verdict(
          call,
          this.engine.evaluate({
            stage: 'output',
            text: answerText(outcome),
            context: contextOf(call),
          }),
        ),
      );
    if (this.engine.hasRules('tool_call'))
      for (const tc of outcome.choices.flatMap((c) => c.toolCalls))
        verdicts.push(
          this.verdict(
            call,
            this.engine.evaluate({
              stage: 'tool_call',
              tool_call: { name: tc.name, arguments: tc.arguments },
              context: contextOf(call),
            }),
          ),
        );
    return {
      decisions: verdicts.flatMap((v) => v.decisions ?? []),
      block: verdicts.find((v) => v.block)?.block,
    };
  }

  private verdict(call: HookCall, result: GuardrailResult): HookVerdict {
    let seen = this.decided.get(call);
    if (!seen) this.decided.set(call, (seen = new Set()));
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

function contextOf(call: HookCall): GuardrailContext {
  return {
    tenant: call.tenant,
    app_id: call.caller.appId,
    ...(call.caller.agentId ? { agent_id: call.caller.agentId } : {}),
    model: call.model,
    endpoint_kind: call.target.upstream.endpointKind,
  };
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
