-- 0005: the guardrail_findings table, one row per guardrail decision on an invocation
-- (schemas/guardrail-finding.v1.avsc), written by services/analytics-sink from
-- llmops.guardrail-findings.v1: the gateway's decisions (mode 'enforce') and the
-- guardrail-monitor's on calls the gateway did not proxy (mode 'detect'). No text column holds
-- prompt or response text: `detail` is the engine's redacted evidence (pattern name, phrase
-- index, tool, segment).
--
-- Runs on ClickHouse 18.16 and current releases (see 0001): no TTL, no DateTime64 (the
-- milliseconds in time_ms), no LowCardinality; the enums of the contract are plain strings.
--
-- Idempotency: finding_id is derived from the invocation's event id, the stage, the rule and
-- its revision, and every other key column (tenant, app, the invocation's start time) comes from
-- the same invocation, so all copies of a finding (redeliveries, replays) share partition and
-- sorting key and ReplacingMergeTree collapses them, keeping the latest inserted_at. Reads that
-- must not double count use FINAL.
CREATE TABLE IF NOT EXISTS {{database}}.guardrail_findings
(
    finding_id     String,
    event_id       String,
    tenant_id      String,
    app_id         String,
    user_id        String,
    agent_id       String,
    agent_name     String,
    trace_id       String,
    span_id        String,
    time           DateTime('UTC'),
    time_ms        UInt64,
    rule_id        String,
    rule_revision  UInt32,
    stage          String,
    action         String,
    severity       String,
    outcome        String,
    mode           String,
    source         String,
    detail         String,
    duration_us    Nullable(UInt64),
    tool_name      String,
    operation      String,
    provider_name  String,
    request_model  String,
    endpoint_host  String,
    endpoint_kind  String,
    inserted_at    DateTime('UTC') DEFAULT now()
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMMDD(time)
ORDER BY (tenant_id, app_id, time, finding_id);
