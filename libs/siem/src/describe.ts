import type { SecurityEvent, SecurityEventCategory, SecuritySeverity } from '@llmops/contracts';
import { FIELD_LIMITS } from './prepare';

/** Human title of each category (CEF Name, OCSF finding title). */
export const CATEGORY_TITLES: Record<SecurityEventCategory, string> = {
  sensitive_data_exposure: 'Sensitive data exposure',
  guardrail_violation: 'Guardrail violation',
  policy_violation: 'Policy violation',
  forbidden_tool_call: 'Forbidden tool call',
  authentication_failure: 'Authentication failure',
  revoked_key_use: 'Revoked API key used',
  budget_limit_breach: 'Budget hard limit breached',
  other: 'Security event',
};

/** 0–10 scale of CEF (0–3 low, 4–6 medium, 7–8 high, 9–10 very high); `Unknown` is CEF's own word. */
export const CEF_SEVERITY: Record<SecuritySeverity, string> = {
  unknown: 'Unknown',
  info: '1',
  low: '3',
  medium: '5',
  high: '8',
  critical: '10',
};

/** OCSF `severity_id` (also ECS `event.severity`): 0 Unknown, 1 Informational … 5 Critical. */
export const OCSF_SEVERITY: Record<SecuritySeverity, { id: number; caption: string }> = {
  unknown: { id: 0, caption: 'Unknown' },
  info: { id: 1, caption: 'Informational' },
  low: { id: 2, caption: 'Low' },
  medium: { id: 3, caption: 'Medium' },
  high: { id: 4, caption: 'High' },
  critical: { id: 5, caption: 'Critical' },
};

/** RFC 5424 severity: 2 Critical, 3 Error, 4 Warning, 5 Notice, 6 Informational. */
export const SYSLOG_SEVERITY: Record<SecuritySeverity, number> = {
  unknown: 5,
  info: 6,
  low: 5,
  medium: 4,
  high: 3,
  critical: 2,
};

/** `success`/`failure`/`unknown` as ECS `event.outcome` and CEF `outcome` use it. */
export function outcomeWord(e: SecurityEvent): 'success' | 'failure' | 'unknown' {
  if (e.category === 'authentication_failure' || e.category === 'revoked_key_use') return 'failure';
  if (e.outcome === 'blocked') return 'failure';
  if (e.outcome === 'allowed' || e.outcome === 'redacted') return 'success';
  return 'unknown';
}

/** What the event is about in a few words: entity types, rule, tool, reason, key or budget. */
export function subject(e: SecurityEvent): string | null {
  switch (e.category) {
    case 'sensitive_data_exposure':
      return joined(e.sensitive_data?.entity_types) ?? joined(e.sensitive_data?.classes);
    case 'forbidden_tool_call':
      return e.target.tool_name ?? ruleLabel(e);
    case 'authentication_failure':
      return e.auth?.reason ?? null;
    case 'revoked_key_use':
      return e.actor.api_key_id;
    case 'budget_limit_breach':
      return e.budget?.budget_id ?? ruleLabel(e);
    default:
      return ruleLabel(e);
  }
}

/** Title plus subject: `Forbidden tool call: delete_repository`. */
export function title(e: SecurityEvent): string {
  const s = subject(e);
  return s ? `${CATEGORY_TITLES[e.category]}: ${s}` : CATEGORY_TITLES[e.category];
}

/** Why it happened, according to the platform (CEF `reason`, ECS `event.reason`). */
export function reason(e: SecurityEvent): string | null {
  switch (e.category) {
    case 'sensitive_data_exposure':
      return joined(e.sensitive_data?.entity_types) ?? ruleLabel(e);
    case 'authentication_failure':
    case 'revoked_key_use':
      return e.auth?.reason ?? (e.category === 'revoked_key_use' ? 'revoked_key' : null);
    case 'budget_limit_breach':
      return e.budget
        ? `${e.budget.observed} of ${e.budget.limit} ${e.budget.unit}${e.budget.period ? ` per ${e.budget.period}` : ''}`
        : ruleLabel(e);
    default:
      return ruleLabel(e);
  }
}

/** One sentence for analysts (OCSF `message`, CEF `msg`, ECS `message`). */
export function summary(e: SecurityEvent): string {
  const parts = [title(e)];
  const details = detail(e);
  if (details) parts.push(details);
  const who = actorPhrase(e);
  if (who) parts.push(who);
  return `${parts.join(' ')}; ${e.outcome}`;
}

function detail(e: SecurityEvent): string | null {
  const t = e.target;
  const bits: string[] = [];
  if (e.category === 'sensitive_data_exposure' && e.sensitive_data) {
    const n = e.sensitive_data.finding_count;
    bits.push(`(${n} finding${n === 1 ? '' : 's'})`);
  }
  if (e.category === 'budget_limit_breach' && e.budget) bits.push(`(${reason(e) ?? ''})`);
  if (t.endpoint_host) {
    const verb = e.category === 'sensitive_data_exposure' ? 'sent to' : 'at';
    bits.push(`${verb} ${t.endpoint_kind ? `${t.endpoint_kind} ` : ''}endpoint ${t.endpoint_host}`);
  }
  if (t.model) bits.push(`for model ${t.model}`);
  if (t.http_path) bits.push(`on ${t.http_method ? `${t.http_method} ` : ''}${t.http_path}`);
  if (e.actor.source_ip) bits.push(`from ${e.actor.source_ip}`);
  return bits.length > 0 ? bits.join(' ') : null;
}

function actorPhrase(e: SecurityEvent): string | null {
  const a = e.actor;
  const who: string[] = [];
  if (a.user_id) who.push(`user ${a.user_id}`);
  if (a.agent_name || a.agent_id) {
    who.push(
      `agent ${a.agent_name ?? a.agent_id}${a.agent_name && a.agent_id ? ` (${a.agent_id})` : ''}`,
    );
  }
  if (a.app_id) who.push(`app ${a.app_id}`);
  return who.length > 0 ? `by ${who.join(', ')}` : null;
}

function ruleLabel(e: SecurityEvent): string | null {
  return e.rule ? (e.rule.name ?? e.rule.id) : null;
}

/** A list as text, at most `FIELD_LIMITS.string` characters (so a long list cannot blow up titles). */
function joined(list: readonly string[] | undefined): string | null {
  if (!list || list.length === 0) return null;
  const text = list.join(', ');
  return text.length > FIELD_LIMITS.string ? `${text.slice(0, FIELD_LIMITS.string - 1)}…` : text;
}
