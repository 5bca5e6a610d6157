-- 0004: what invocation v3 (schemas/invocation.v3.avsc) adds: the way a record came in
-- (event_api, gateway, otlp; 'event_api' for the rows stored before) and the guardrail decisions
-- made on the call as JSON text ('[]' when none fired). Usage the gateway counted itself is
-- flagged inside gateway_json (usage_source 'counted').
--
-- One statement per step (no ADD COLUMN IF NOT EXISTS on ClickHouse 18.16; see 0003).
ALTER TABLE {{database}}.invocations ADD COLUMN source String DEFAULT 'event_api' AFTER gateway_json;
ALTER TABLE {{database}}.invocations ADD COLUMN guardrails_json String DEFAULT '[]' AFTER source;
