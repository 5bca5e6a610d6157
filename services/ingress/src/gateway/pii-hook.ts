import { ApiError } from '../http/api-error';
import type { AnswerRewriter, BeforeResult, CallHook, HookCall } from './call-hooks';
import type { TextSlot } from './apis/gateway-api';
import { PiiGuard, StreamRestorer, restoreText, type PiiAction } from './pii-guard';

/**
 * The tenant's PII policy for the target's endpoint kind, as a hook before the call: `allow`
 * looks at nothing, `redact` and `restore` rewrite the texts going upstream (`restore` puts the
 * values back into the answer), `block` refuses the call when PII is found.
 */
export class PiiHook implements CallHook {
  readonly name = 'pii';

  constructor(
    private readonly guard: PiiGuard,
    private readonly actionOf: (tenant: string, kind: 'external' | 'internal') => PiiAction,
  ) {}

  before(call: HookCall, texts: () => TextSlot[]): BeforeResult {
    const kind = call.target.upstream.endpointKind;
    const action = this.actionOf(call.tenant, kind);
    if (action === 'allow') return { pii: { action, types: [] } };
    if (action === 'restore' && call.stream && !call.canRewriteStream)
      return {
        block: new ApiError(
          400,
          'pii_restore_unsupported',
          `this tenant's PII policy restores values in answers, which the gateway cannot do yet on a streamed ${call.what}; call it without stream`,
          [{ path: 'stream', message: 'cannot be restored' }],
        ),
      };
    const pii = this.guard.apply(action, texts(), call.tenant, kind);
    return { pii, block: pii.blocked, answer: pii.restore && restorer(pii.restore) };
  }
}

function restorer(values: Map<string, string>): AnswerRewriter {
  const stream = new StreamRestorer(values);
  return {
    text: (t) => restoreText(t, values),
    delta: (s, t) => stream.delta(s, t),
    flush: (s) => stream.flush(s),
  };
}
