-- One invocation by event_id, for one tenant: every column, the redacted prompt and response
-- included. No row when the event is unknown or belongs to another tenant.
-- Params: tenant String, event_id String.
--
-- Duplicate-free by FINAL (see usage_by_day.sql for why FINAL rather than argMax or
-- LIMIT 1 BY): copies of the event merge into one row at read time; LIMIT 1 only guards.
-- No date filter, so every day partition is looked at, each only within the tenant's range
-- of the sorting key.
SELECT
    event_id,
    tenant_id,
    app_id,
    user_id,
    agent_id,
    agent_name,
    conversation_id,
    trace_id,
    span_id,
    parent_span_id,
    operation,
    provider_name,
    request_model,
    response_model,
    response_id,
    endpoint_host,
    endpoint_kind,
    request_temperature,
    request_top_p,
    request_max_tokens,
    request_stream,
    input_tokens,
    output_tokens,
    cached_input_tokens,
    reasoning_tokens,
    finish_reasons,
    start_time,
    start_time_ms,
    duration_ms,
    time_to_first_token_ms,
    status,
    error_type,
    labels.key               AS label_keys,
    labels.value             AS label_values,
    pii_finding_count,
    pii_types,
    redaction_engine_version,
    system_instructions,
    input_messages_json,
    output_messages_json,
    tool_calls_json,
    received_at_ms,
    inserted_at
FROM {{database}}.invocations FINAL
WHERE tenant_id = {{tenant:String}}
  AND event_id = {{event_id:String}}
LIMIT 1
