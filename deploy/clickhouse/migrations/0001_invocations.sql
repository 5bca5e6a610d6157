-- 0001: the invocations table, one row per LLM invocation (schemas/invocation.v1.avsc),
-- written by services/analytics-sink from llmops.invocations.redacted.v1 only: the text
-- columns hold the pii-scanner's redacted copy, never the raw text.
--
-- Runs on ClickHouse 18.16 (Debian 12) and current releases: no TTL (retention drops old
-- partitions), no DateTime64 (milliseconds in UInt64 columns), no Map (labels as Nested,
-- i.e. the two parallel arrays `labels.key` / `labels.value`), no LowCardinality, no CODEC.
--
-- Idempotency: ReplacingMergeTree collapses rows with the same ORDER BY key within a
-- partition. Every key column and the partition key come from the event itself, so all
-- copies of one event_id (Kafka redeliveries, replays) share partition and key and collapse
-- on merge, keeping the copy with the highest inserted_at. Merges are eventual, so reads
-- that must not double count use FINAL (see deploy/clickhouse/queries).
--
-- Optional strings of the contract are '' when absent (String, not Nullable(String): cheaper,
-- and GROUP BY treats them alike); only numbers whose absence matters are Nullable.
CREATE TABLE IF NOT EXISTS {{database}}.invocations
(
    event_id                 String,
    tenant_id                String,
    app_id                   String,
    user_id                  String,
    agent_id                 String,
    agent_name               String,
    conversation_id          String,
    trace_id                 String,
    span_id                  String,
    parent_span_id           String,
    operation                String,
    provider_name            String,
    request_model            String,
    response_model           String,
    response_id              String,
    endpoint_host            String,
    endpoint_kind            String,
    request_temperature      Nullable(Float64),
    request_top_p            Nullable(Float64),
    request_max_tokens       Nullable(UInt64),
    request_stream           UInt8,
    input_tokens             UInt64,
    output_tokens            UInt64,
    cached_input_tokens      UInt64,
    reasoning_tokens         UInt64,
    finish_reasons           Array(String),
    start_time               DateTime('UTC'),
    start_time_ms            UInt64,
    duration_ms              Nullable(UInt64),
    time_to_first_token_ms   Nullable(UInt64),
    status                   String,
    error_type               String,
    labels                   Nested(key String, value String),
    pii_finding_count        UInt32,
    pii_types                Array(String),
    redaction_engine_version String,
    system_instructions      String,
    input_messages_json      String,
    output_messages_json     String,
    tool_calls_json          String,
    received_at_ms           UInt64,
    inserted_at              DateTime('UTC') DEFAULT now()
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMMDD(start_time)
ORDER BY (tenant_id, app_id, start_time, event_id);
