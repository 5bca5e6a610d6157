import type { Redis } from 'ioredis';
import type { GuardrailToolHistory } from '@llmops/guardrails';

/**
 * The tool calls a model already proposed in a trace and in a session, for the guardrails that
 * count or order them (`tool_limits`, `tool_sequence`): every gateway replica serves calls of the
 * same agent run, so the history lives in Redis, a list of tool names per trace and per session.
 * Lists are capped (the most recent MAX_NAMES) and expire a day (trace) or a week (session)
 * after their last call, so an abandoned run leaves nothing behind for long.
 */
const MAX_NAMES = 1000;
const TRACE_TTL_S = 24 * 3600;
const SESSION_TTL_S = 7 * 24 * 3600;

export class ToolHistory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private keys(tenant: string, traceId: string, sessionId: string | null) {
    const t = `${this.prefix}guardrails:tools:${tenant}:trace:${traceId}`;
    const s =
      sessionId === null ? null : `${this.prefix}guardrails:tools:${tenant}:session:${sessionId}`;
    return { t, s };
  }

  async read(
    tenant: string,
    traceId: string,
    sessionId: string | null,
  ): Promise<GuardrailToolHistory> {
    const { t, s } = this.keys(tenant, traceId, sessionId);
    const [trace, session] = await Promise.all([
      this.redis.lrange(t, 0, -1),
      s === null ? Promise.resolve<string[]>([]) : this.redis.lrange(s, 0, -1),
    ]);
    return { trace, session };
  }

  /** Adds the tool calls the client got, in order. */
  async append(
    tenant: string,
    traceId: string,
    sessionId: string | null,
    names: string[],
  ): Promise<void> {
    if (names.length === 0) return;
    const { t, s } = this.keys(tenant, traceId, sessionId);
    const m = this.redis.multi();
    m.rpush(t, ...names)
      .ltrim(t, -MAX_NAMES, -1)
      .expire(t, TRACE_TTL_S);
    if (s !== null)
      m.rpush(s, ...names)
        .ltrim(s, -MAX_NAMES, -1)
        .expire(s, SESSION_TTL_S);
    await m.exec();
  }
}
