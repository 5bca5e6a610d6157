import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import { Authenticator } from '../auth/authenticator';
import { BudgetExceededError } from '../budgets/budget-check.route';
import { budgetStateView } from '../budgets/budget-view';
import { BudgetsService } from '../budgets/budgets.service';
import { ApiError } from '../http/api-error';
import { chatCompletionsApi } from './apis/chat-completions.api';
import { embeddingsApi } from './apis/embeddings.api';
import type { GatewayApi } from './apis/gateway-api';
import { responsesApi } from './apis/responses.api';
import { anthropicMessagesApi } from './apis/anthropic-messages.api';
import type { RouteTarget, UpstreamFormat } from './gateway-config';
import { callerContext, type GatewayCall } from './gateway-record';
import { GatewayService } from './gateway.service';
import { sendOpenAIError } from './gateway-errors';
import {
  answerText,
  chainRewriters,
  rewriteJson,
  type AnswerRewriter,
  type HookCall,
} from './call-hooks';
import type { ChatOutcome } from './chat-completion';
import type { BudgetHold } from '@llmops/pricing';
import type { RateTicket } from './rate-limiter';
import { SseSplitter } from './sse';
import { estimateCall } from './token-counter';
import { UpstreamAttemptError } from './upstream-client';

/** The client APIs the gateway serves, each on its own path. */
export const GATEWAY_APIS: readonly GatewayApi[] = [
  chatCompletionsApi,
  responsesApi,
  embeddingsApi,
  anthropicMessagesApi,
];
export const MODELS_PATH = '/v1/models';

/** The client went away before the answer was complete. */
class ClientAborted extends Error {
  constructor() {
    super('the client closed the connection before the answer was complete');
    this.name = 'ClientAborted';
  }
}

type CallBody = Record<string, unknown> & { model: string };

function requestBody(api: GatewayApi, body: unknown): CallBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'invalid_request', `send a JSON object: ${api.what}`);
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model.length === 0)
    throw new ApiError(400, 'invalid_request', 'model is required: the model (or route) to call', [
      { path: 'model', message: 'is required' },
    ]);
  api.check(b);
  return b as CallBody;
}

/**
 * The client APIs of the gateway (`gateway` scope; GATEWAY_APIS: OpenAI's and Anthropic's): the client's own
 * body goes to the route's upstream unchanged but for the model name (and what the API adds,
 * such as a request for usage that is taken out again before the client sees it), the answer
 * comes back unchanged, event by event on a stream, and every call that passed authentication
 * leaves exactly one invocation record, handed to the outbox after the answer went out. Served by Fastify
 * directly, as the budget check is: Nest's per-request pipeline is latency the gateway must not
 * add.
 */
@Injectable()
export class GatewayRoutes implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: Authenticator,
    private readonly budgets: BudgetsService,
    private readonly gateway: GatewayService,
  ) {}

  onModuleInit() {
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    for (const api of GATEWAY_APIS) app.post(api.path, (req, reply) => this.call(api, req, reply));
    app.get(MODELS_PATH, (req, reply) => this.models(req, reply));
  }

  /** The models this key (and app, by x-llmops-app-id) may call, in OpenAI's list shape. */
  private models(req: FastifyRequest, reply: FastifyReply) {
    let tenant: string;
    try {
      tenant = this.auth.authenticate(req, 'gateway').tenant_id;
    } catch (err) {
      sendOpenAIError(reply, err);
      return reply;
    }
    const app = req.headers['x-llmops-app-id'];
    return {
      object: 'list',
      data: this.gateway.router
        .models()
        .filter((id) => !this.gateway.modelRefusal(tenant, typeof app === 'string' ? app : '', id))
        .map((id) => ({ id, object: 'model', created: 0, owned_by: 'llmops' })),
    };
  }

  private async call(
    api: GatewayApi,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const startMs = Date.now();
    const t0 = performance.now();
    const eventId = randomUUID();
    void reply.header('x-llmops-event-id', eventId);
    let tenant: string;
    let keyId: string;
    try {
      ({ tenant_id: tenant, key_id: keyId } = this.auth.authenticate(req, 'gateway'));
    } catch (err) {
      // No tenant, no invocation record: the failure went to the SOC as an auth event.
      api.sendError(reply, err);
      return reply;
    }
    this.gateway.begin();
    const call: GatewayCall = {
      eventId,
      tenant,
      caller: callerContext({}, undefined),
      operation: api.operation,
      input: { system: null, messages: [] },
      request: (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
        string,
        unknown
      >,
      target: null,
      attempts: [],
      startMs,
      durationMs: 0,
      timeToFirstTokenMs: null,
      outcome: null,
      errorType: null,
      errorMessage: null,
      guardrails: [],
    };
    const abort = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) abort.abort(new ClientAborted());
    };
    reply.raw.once('close', onClose);
    let upstreamWait = 0;
    let ticket: RateTicket | undefined;
    let hold: BudgetHold | undefined;
    try {
      const body = requestBody(api, req.body);
      call.input = api.input(body);
      call.caller = callerContext(req.headers, body.user);
      const mode = this.gateway.recordMode(tenant);
      if (!mode)
        throw new ApiError(
          503,
          'audit_unavailable',
          'the audit log cannot take records now, so no model call is made; retry shortly',
          undefined,
          { 'retry-after': '5' },
        );
      call.spool = mode === 'spool';
      const callerKey = this.callerKey(req, tenant);
      const refusal = this.gateway.modelRefusal(tenant, call.caller.appId, body.model);
      if (refusal)
        throw new ApiError(
          403,
          'model_not_allowed',
          `'${body.model}' is not among the models this ${refusal.by} may call (${refusal.allowed.join(', ')}); ask an admin to allow it`,
          [{ path: 'model', message: 'is not allowed' }],
        );
      const plan = this.gateway.router.plan(
        body.model,
        api.format,
        Object.keys(api.translations ?? {}) as UpstreamFormat[],
      );
      if (plan?.length === 0)
        throw new ApiError(
          404,
          'model_not_found',
          `the route of '${body.model}' has no upstream that speaks the ${api.format} API this endpoint serves; call the model through its own API`,
          [{ path: 'model', message: `has no ${api.format} upstream` }],
        );
      if (!plan)
        throw new ApiError(
          404,
          'model_not_found',
          `the model '${body.model}' has no route on this gateway; GET /v1/models lists the models you may call`,
          [{ path: 'model', message: 'has no route' }],
        );
      const targets = takers(api, plan, body);
      const limits = this.gateway.rateLimitsOf(tenant);
      const who = { key: keyId, app: call.caller.appId, user: call.caller.userId };
      const subject = {
        app_id: call.caller.appId,
        user_id: call.caller.userId,
        agent_id: call.caller.agentId,
      };
      const budgeted = this.budgets.limits(tenant, subject);
      // The tokenizer runs only for a call that token limits or budget holds must size.
      const estimate =
        budgeted || this.gateway.limiter.countsTokens(limits, who)
          ? estimateCall(call.input, api.operation !== 'embeddings', body)
          : { prompt: 0, output: 0 };
      const rate = await this.gateway.limiter.take(
        tenant,
        limits,
        who,
        estimate.prompt + estimate.output,
      );
      if (rate) void reply.headers(rate.headers);
      ticket = rate?.ticket;
      if (budgeted) {
        const decision = await this.budgets.hold(
          tenant,
          subject,
          {
            tokens: BigInt(estimate.prompt + estimate.output),
            picoUsd: this.gateway.mayCost(targets[0]!, estimate.prompt, estimate.output),
          },
          eventId,
          this.gateway.holdMs(targets),
        );
        if (!decision.allowed)
          throw new BudgetExceededError(budgetStateView(decision.denied), decision.retryAfterS);
        hold = decision.hold;
      }
      const w0 = performance.now();
      const { res, via, hooked } = await this.attempt(
        api,
        targets,
        body,
        req.headers,
        call,
        abort.signal,
        callerKey,
      );
      upstreamWait = performance.now() - w0;
      if (body.stream === true)
        await this.relayStream(via, body, res, reply, call, t0, abort.signal, hooked);
      else await this.relayCompletion(via, res, reply, call, t0, hooked);
    } catch (err) {
      const aborted = abort.signal.aborted && abort.signal.reason instanceof ClientAborted;
      call.errorType = aborted ? 'client_aborted' : errorCode(err);
      call.errorMessage = aborted ? abort.signal.reason.message : errorMessage(err);
      if (call.spool) await this.keepNow(call, t0);
      if (!reply.sent && !reply.raw.headersSent && !aborted) api.sendError(reply, err);
      else if (!reply.raw.writableEnded) reply.raw.end();
    } finally {
      reply.raw.off('close', onClose);
      call.durationMs = Math.max(0, Math.round(performance.now() - t0));
      this.gateway.observeOverhead(
        call.request.stream === true,
        Math.max(0, performance.now() - t0 - upstreamWait) / 1000,
      );
      const used = call.kept ?? this.gateway.record(call);
      if (ticket) void this.gateway.limiter.settle(ticket, Number(used.tokens));
      if (hold) void this.budgets.settle(hold, used, this.gateway.budgetHoldGraceMs);
      this.gateway.end();
    }
    return reply;
  }

  /**
   * Tries the plan's targets in turn until one answers 2xx; waits (backoff, Retry-After) between.
   * Resolves with the answer, the API spoken to its target (`api`, or its translation) and what
   * the hooks before the call left for the answer.
   */
  private async attempt(
    api: GatewayApi,
    plan: RouteTarget[],
    body: CallBody,
    headers: FastifyRequest['headers'],
    call: GatewayCall,
    signal: AbortSignal,
    callerKey: string | undefined,
  ): Promise<{ res: Dispatcher.ResponseData; via: GatewayApi; hooked: Hooked }> {
    const { router, clients, maxAttempts, maxRetryWaitMs } = this.gateway;
    for (let i = 0; ; i++) {
      const target = plan[i % plan.length]!;
      call.target = target;
      const via = apiFor(api, target);
      const hooked = await this.before(via, body, call, target);
      const attempt = {
        upstream: target.upstream.name,
        model: target.model,
        outcome: 'ok',
        duration_ms: 0,
      };
      call.attempts.push(attempt);
      const a0 = performance.now();
      try {
        const res = await clients.post(
          target,
          via.upstreamPath,
          via.upstreamBody(hooked.body, target.model),
          AbortSignal.any([signal, AbortSignal.timeout(target.upstream.timeouts.totalMs)]),
          via.upstreamHeaders?.(headers) ?? {},
          callerKey,
        );
        attempt.duration_ms = Math.round(performance.now() - a0);
        router.succeeded(target);
        return { res, via, hooked };
      } catch (caught) {
        const err = inClientShape(caught, via);
        attempt.duration_ms = Math.round(performance.now() - a0);
        attempt.outcome = err instanceof UpstreamAttemptError ? err.kind : 'error';
        if (!(err instanceof UpstreamAttemptError) || !err.retriable || signal.aborted) throw err;
        router.failed(target);
        if (i + 1 >= maxAttempts) throw err;
        const next = plan[(i + 1) % plan.length]!;
        // Another upstream is tried at once; the same one again after a backoff (or what it asked).
        const backoff =
          next === target ? Math.min(maxRetryWaitMs, 100 * 2 ** i * (0.5 + Math.random())) : 0;
        const wait = Math.max(backoff, next === target ? (err.retryAfterMs ?? 0) : 0);
        if (wait > maxRetryWaitMs) throw err;
        if (wait > 0) await sleep(wait, undefined, { signal });
      }
    }
  }

  /**
   * Runs the hooks before the call (the PII policy first) on the body for `target`: the
   * client's body, before any translation, so what they find is the client's own. Throws the
   * block of a hook that refuses the call; the body is copied only when a hook rewrites it.
   */
  private async before(
    api: GatewayApi,
    body: CallBody,
    call: GatewayCall,
    target: RouteTarget,
  ): Promise<Hooked> {
    const hook: HookCall = {
      tenant: call.tenant,
      caller: call.caller,
      operation: call.operation,
      model: body.model,
      target,
      stream: body.stream === true,
      canRewriteStream: api.rewriteStreamEvent !== undefined,
      what: api.what,
    };
    let copy: CallBody | undefined;
    let slots: ReturnType<GatewayApi['textSlots']> | undefined;
    const texts = () => (slots ??= api.textSlots((copy ??= structuredClone(body))));
    const rewriters: AnswerRewriter[] = [];
    // Decisions are those of the attempt that is made: a fallback target decides again.
    call.guardrails = [];
    for (const h of this.gateway.hooks) {
      const r = await settled(h.before?.(hook, texts));
      if (!r) continue;
      if (r.pii) call.pii = r.pii;
      if (r.decisions) call.guardrails.push(...r.decisions);
      if (r.block) throw r.block;
      if (r.answer) rewriters.push(r.answer);
    }
    return { body: copy ?? body, hook, answer: chainRewriters(rewriters) };
  }

  /**
   * The caller's own provider key (`x-llmops-provider-key`), where its tenant accepts them; a
   * tenant that does not gets 403 rather than a call quietly made with the gateway's credential.
   */
  private callerKey(req: FastifyRequest, tenant: string): string | undefined {
    const v = req.headers['x-llmops-provider-key'];
    const key = Array.isArray(v) ? v[0] : v;
    if (key === undefined || key === '') return undefined;
    if (!this.gateway.acceptsCallerKeys(tenant))
      throw new ApiError(
        403,
        'provider_key_not_allowed',
        "this tenant's callers may not send their own provider key; leave x-llmops-provider-key out (the gateway's credential is used) or ask an admin to set accept_caller_keys for the tenant",
        [{ path: 'x-llmops-provider-key', message: 'is not accepted for this tenant' }],
      );
    return key;
  }

  /**
   * Spools the call's record and waits until it is on disk (Kafka does not take records now):
   * done before the client gets the end of its answer, so that no answer a client received
   * is without its record, even if this process is killed right after.
   */
  private async keepNow(call: GatewayCall, t0: number): Promise<void> {
    if (call.kept !== undefined) return;
    call.durationMs = Math.max(0, Math.round(performance.now() - t0));
    call.kept = await this.gateway.spoolRecord(call);
  }

  private async relayCompletion(
    api: GatewayApi,
    res: Dispatcher.ResponseData,
    reply: FastifyReply,
    call: GatewayCall,
    t0: number,
    hooked: Hooked,
  ) {
    let text = await res.body.text();
    try {
      let json: unknown = JSON.parse(text);
      // Rewriting the upstream's answer rewrites its translation too: translation moves texts.
      const answer = hooked.answer;
      if (answer) {
        json = rewriteJson(json, (t) => answer.text(t));
        text = JSON.stringify(json);
      }
      call.outcome = api.completion(json);
      if (api.clientJson) text = JSON.stringify(api.clientJson(json));
    } catch {
      call.outcome = api.completion({});
      call.errorType = 'invalid_upstream_response';
      call.errorMessage = 'the upstream answered 2xx with a body that is not JSON';
    }
    // The hooks after the call see the answer before the client does; a block replaces it.
    await this.after(hooked.hook, call, call.outcome);
    if (call.spool) await this.keepNow(call, t0);
    void reply
      .code(res.statusCode)
      .header('content-type', res.headers['content-type'] ?? 'application/json')
      .send(text);
  }

  /** The hooks after the answer, in order; throws the first block (the client gets it instead). */
  private async after(hook: HookCall, call: GatewayCall, outcome: ChatOutcome): Promise<void> {
    for (const h of this.gateway.hooks) {
      const v = await settled(h.after?.(hook, outcome));
      if (v?.decisions) call.guardrails.push(...v.decisions);
      if (v?.block) throw v.block;
    }
  }

  /**
   * Relays the upstream's events to the client as each one completes (never the whole stream)
   * while the API's assembler reads them for the record and holds back what the gateway added.
   */
  private async relayStream(
    api: GatewayApi,
    body: CallBody,
    res: Dispatcher.ResponseData,
    reply: FastifyReply,
    call: GatewayCall,
    t0: number,
    signal: AbortSignal,
    hooked: Hooked,
  ) {
    reply.hijack();
    const out = reply.raw;
    out.writeHead(res.statusCode, {
      // What was set on the reply before (x-llmops-event-id, rate-limit headers) goes first.
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-llmops-event-id': call.eventId,
    });
    out.flushHeaders();
    const assembler = api.assembler(body);
    const splitter = new SseSplitter();
    const rewriter = api.rewriteStreamEvent ? hooked.answer : undefined;
    const watching = this.gateway.hooks.filter((h) => h.during !== undefined);
    // A hook that judges tool calls sees each one whole before the client does: from the first
    // event that carries tool-call data, events are held until the stream's last one, when the
    // hooks after the answer decide (a client acts on a tool call only once it is complete).
    const holdTools = this.gateway.hooks.some((h) => h.judgesToolCalls?.(hooked.hook) === true);
    let held = '';
    let afterDone = false;
    const runAfter = async () => {
      if (afterDone) return;
      afterDone = true;
      await this.after(hooked.hook, call, assembler.outcome()).catch((err: unknown) => {
        throw err instanceof ApiError ? new StreamStopped(err) : err;
      });
      batch += held;
      held = '';
    };
    // While records are spooled: the stream's last event, for once the record is on disk.
    let last = '';
    // The events of one upstream chunk leave in one write (one system call, not one per event):
    // they arrived together, so nothing waits for anything that has not arrived.
    let batch = '';
    const relay = async (events: ReturnType<SseSplitter['push']>) => {
      for (const upstreamEvent of events) {
        const restored = rewriter
          ? api.rewriteStreamEvent!(upstreamEvent, rewriter)
          : upstreamEvent;
        // The hooks after the answer decide before the stream's last event goes out.
        if (api.isFinal?.(upstreamEvent)) await runAfter();
        for (const ev of Array.isArray(restored) ? restored : [restored]) {
          const { forward, token } = assembler.add(ev);
          if (token && call.timeToFirstTokenMs === null)
            call.timeToFirstTokenMs = Math.round(performance.now() - t0);
          if (token && watching.length > 0) {
            // A hook that blocks on the text so far ends the stream before this event goes out.
            const so = answerText(assembler.outcome());
            for (const h of watching) {
              const v = h.during!(hooked.hook, so);
              if (v?.decisions) call.guardrails.push(...v.decisions);
              if (v?.block) throw new StreamStopped(v.block);
            }
          }
          if (forward === null) continue;
          if (holdTools && !afterDone && (held !== '' || toolCallMark(assembler.outcome()) > 0)) {
            held += `${forward}\n\n`;
            continue;
          }
          if (call.spool && api.isFinal?.(upstreamEvent)) last += `${forward}\n\n`;
          else batch += `${forward}\n\n`;
        }
      }
      if (batch === '') return;
      const ready = out.write(batch);
      batch = '';
      if (!ready) await waitDrain(out, signal);
    };
    try {
      for await (const piece of res.body) await relay(splitter.push(piece as Buffer));
      await relay(splitter.end());
      // A stream cut short has no last event: the hooks after it still decide on what came.
      await runAfter();
      if (batch !== '' && !out.writableEnded) out.write(batch);
      batch = '';
    } catch (err) {
      if (!(err instanceof StreamStopped)) throw err;
      // Leaving the loop closes the upstream's body: the rest is never asked for.
      call.errorType = err.block.code;
      call.errorMessage = errorMessage(err.block);
      last = '';
      // What came before the blocked event in its chunk goes out, then the error.
      if (batch && !out.writableEnded) out.write(batch);
      if (!out.writableEnded) out.write(`${api.streamError(err.block)}\n\n`);
    } finally {
      call.outcome = assembler.outcome();
      const failed = assembler.failure?.();
      if (failed) {
        call.errorType = failed.type;
        call.errorMessage = `the upstream's stream ended with an error: ${failed.message}`;
      }
      if (call.spool) await this.keepNow(call, t0);
      if (last && !out.writableEnded) out.write(last);
      if (!out.writableEnded) out.end();
    }
  }
}

/** A hook's verdict, waited for only when the hook had to wait (a guardrail webhook). */
async function settled<T>(v: T | Promise<T> | undefined): Promise<T | undefined> {
  return v instanceof Promise ? await v : v;
}

/** How many tool calls the answer holds so far. */
function toolCallMark(outcome: ChatOutcome): number {
  let n = 0;
  for (const c of outcome.choices) n += c.toolCalls.length;
  return n;
}

/** What the hooks before a call left for it: the body to send, their view of it, the answer's rewriter. */
interface Hooked {
  body: CallBody;
  hook: HookCall;
  answer: AnswerRewriter | undefined;
}

/** A hook stopped a stream mid-way with `block`. */
class StreamStopped extends Error {
  constructor(readonly block: ApiError) {
    super('a hook stopped the stream');
  }
}

/** The API a call speaks to `target`: the client's own, or its translation to the target's format. */
function apiFor(api: GatewayApi, target: RouteTarget): GatewayApi {
  return api.translations?.[target.upstream.format] ?? api;
}

/**
 * The plan's targets whose API takes `body`: those reached by a translation that refuses it (a
 * field with no counterpart) are dropped, and with none left that refusal is the answer, before
 * any upstream call.
 */
function takers(api: GatewayApi, plan: RouteTarget[], body: CallBody): RouteTarget[] {
  const refusals = new Map<GatewayApi, unknown>();
  const takes = (via: GatewayApi) => {
    if (via === api) return true;
    if (!refusals.has(via)) {
      try {
        via.check(body);
        refusals.set(via, undefined);
      } catch (err) {
        refusals.set(via, err);
      }
    }
    return refusals.get(via) === undefined;
  };
  const targets = plan.filter((t) => takes(apiFor(api, t)));
  const refusal = [...refusals.values()].find((e) => e !== undefined);
  if (targets.length === 0 && refusal instanceof Error) throw refusal;
  return targets;
}

/** An upstream's error answer with its body in the client's API shape (an attempt by translation). */
function inClientShape(err: unknown, via: GatewayApi): unknown {
  if (!via.clientError || !(err instanceof UpstreamAttemptError) || !err.response) return err;
  const { status, headers, body } = err.response;
  return new UpstreamAttemptError(
    err.kind,
    err.message,
    err.retriable,
    {
      status,
      headers: { ...headers, 'content-type': 'application/json' },
      body: via.clientError(status, body),
    },
    err.retryAfterMs,
    { cause: err },
  );
}

function waitDrain(out: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    out.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

function errorCode(err: unknown): string {
  if (err instanceof ApiError) return err.code;
  if (err instanceof UpstreamAttemptError) return err.kind;
  return 'internal_error';
}

function errorMessage(err: unknown): string {
  if (err instanceof ApiError)
    return (err.getResponse() as { error: { message: string } }).error.message;
  if (err instanceof UpstreamAttemptError) return err.message;
  return err instanceof Error ? err.name : 'unknown error';
}
