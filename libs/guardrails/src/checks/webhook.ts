import { createHmac } from 'node:crypto';
import { GuardrailEvaluationError } from '../errors';
import type { WebhookCheck } from '../rule-schema';
import {
  problem,
  type CheckInput,
  type CompileContext,
  type CompiledCheck,
  type Violation,
} from './check';

/**
 * A rule decided by the team's own service: the gateway POSTs the item as JSON to an HTTPS
 * endpoint, signed with HMAC-SHA256, and the answer `{"violated": true|false, "detail"?}` is
 * the verdict. Anything else (no answer within the rule's `timeout_ms`, a non-2xx status after
 * the retries, a body that is not that JSON) is a failure, and the rule's `on_error` decides:
 * a webhook is never silently skipped.
 *
 * Signature: `x-llmops-signature: t=<epoch ms>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`; the
 * receiver recomputes it over the raw body and refuses old timestamps (replays). The secret is
 * named by the rule (`secret_env`) and read from the evaluating process's environment through
 * the engine's `secrets` option, so a rule, which the admin API lists, never holds it.
 */

/** What the engine needs to run webhooks; the defaults are the process's fetch and no secrets. */
export interface WebhookOptions {
  /** The value of a secret a rule names, or undefined when the process does not have it. */
  readonly secrets?: (name: string) => string | undefined;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_ANSWER = 64 * 1024;

export function compileWebhook(check: WebhookCheck, ctx: CompileContext): CompiledCheck | null {
  const url = new URL(check.url);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    problem(ctx, 'url', 'must be https:// (http:// only to a loopback host, for development)');
    return null;
  }
  if (url.username || url.password) {
    problem(ctx, 'url', 'must not hold credentials; the request is signed with secret_env');
    return null;
  }
  // Without engine options (a rules file checked for its shape alone) the secret is looked up
  // when the webhook is called; an engine given options refuses a secret it cannot find.
  const lookup = () => ctx.webhooks?.secrets?.(check.secret_env) || undefined;
  if (ctx.webhooks !== undefined && lookup() === undefined) {
    problem(ctx, 'secret_env', `names ${check.secret_env}, which is not set on this process`);
    return null;
  }
  const doFetch = ctx.webhooks?.fetch ?? globalThis.fetch;
  const retries = check.retries ?? 1;
  const target = url.toString();
  return {
    locates: false,
    run(): Violation | null {
      throw new GuardrailEvaluationError('a webhook rule is decided only by evaluateAsync');
    },
    async runAsync(input: CheckInput, signal: AbortSignal): Promise<Violation | null> {
      const body = JSON.stringify({
        stage: ctx.stage,
        segments: input.segments,
        ...(input.toolCall ? { tool_call: input.toolCall } : {}),
        context: input.item?.context ?? {},
        ...(input.item?.metadata ? { metadata: input.item.metadata } : {}),
      });
      const secret = lookup();
      if (secret === undefined)
        throw new GuardrailEvaluationError(
          `secret_env ${check.secret_env} is not set on this process`,
        );
      let last = 'no attempt';
      for (let attempt = 0; attempt <= retries; attempt++) {
        const t = Date.now();
        const signature = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
        let res: Response;
        try {
          res = await doFetch(target, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-llmops-signature': `t=${t},v1=${signature}`,
            },
            body,
            signal,
            redirect: 'error',
          });
        } catch (err) {
          if (signal.aborted) throw signal.reason;
          last = `the webhook could not be reached (${(err as Error).name})`;
          continue;
        }
        if (res.status >= 500 || res.status === 429) {
          await res.body?.cancel();
          last = `the webhook answered ${res.status}`;
          continue;
        }
        if (res.status < 200 || res.status > 299) {
          await res.body?.cancel();
          throw new GuardrailEvaluationError(`the webhook answered ${res.status}`);
        }
        return verdict(await res.text(), check.url);
      }
      throw new GuardrailEvaluationError(`${last}, after ${retries + 1} attempts`);
    },
  };
}

function verdict(text: string, url: string): Violation | null {
  let answer: unknown;
  try {
    answer = text.length <= MAX_ANSWER ? JSON.parse(text) : undefined;
  } catch {
    answer = undefined;
  }
  const a = answer as { violated?: unknown; detail?: unknown } | undefined;
  if (typeof a !== 'object' || a === null || typeof a.violated !== 'boolean')
    throw new GuardrailEvaluationError('the webhook did not answer {"violated": true|false}');
  if (!a.violated) return null;
  const host = new URL(url).host;
  return {
    detail:
      typeof a.detail === 'string' && a.detail !== ''
        ? `webhook ${host}: ${a.detail.slice(0, 200)}`
        : `webhook ${host} found a violation`,
  };
}
