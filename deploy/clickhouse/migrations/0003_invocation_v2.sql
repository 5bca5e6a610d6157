-- 0003: what invocation v2 (schemas/invocation.v2.avsc) adds that analysts group and price by:
-- the agent's version, prompt-cache writes (part of input_tokens, priced apart), and what the
-- gateway did for a call it proxied (upstream, model, every attempt with its outcome) as JSON
-- text, '' for events apps reported themselves. Tool-call types and durations and retrieval
-- data-source ids travel inside tool_calls_json and retrievals_json.
--
-- ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS; each statement is a migration of its own
-- step, recorded once applied (see libs/clickhouse, migrate()).
ALTER TABLE {{database}}.invocations ADD COLUMN agent_version String DEFAULT '' AFTER agent_name;
ALTER TABLE {{database}}.invocations ADD COLUMN cache_creation_input_tokens UInt64 DEFAULT 0 AFTER reasoning_tokens;
ALTER TABLE {{database}}.invocations ADD COLUMN gateway_json String DEFAULT '' AFTER retrievals_json;
