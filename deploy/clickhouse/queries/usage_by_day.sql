-- Requests and tokens per day, app and model, for one tenant and a range of days (UTC,
-- both ends included).
-- Params: tenant String, from Date, to Date.
--
-- Duplicate-free by FINAL: a redelivered event is a second row with the same sorting key until
-- a background merge collapses it; FINAL merges those rows at read time. It is exact, uses the
-- table's own rule (highest inserted_at wins), and with tenant_id leading the sorting key and the
-- day partitions pruned by the date filter it only merges this tenant's ranges of these days.
-- The alternatives cost more here: argMax(…) GROUP BY event_id and LIMIT 1 BY event_id both hold
-- every event_id of the range in memory before aggregating, and LIMIT 1 BY needs a subquery.
SELECT
    toDate(start_time)       AS day,
    app_id,
    provider_name,
    request_model,
    count()                  AS requests,
    sum(input_tokens)        AS input_tokens,
    sum(output_tokens)       AS output_tokens,
    sum(cached_input_tokens) AS cached_input_tokens,
    sum(reasoning_tokens)    AS reasoning_tokens
FROM {{database}}.invocations FINAL
WHERE tenant_id = {{tenant:String}}
  AND toDate(start_time) >= {{from:Date}}
  AND toDate(start_time) <= {{to:Date}}
GROUP BY day, app_id, provider_name, request_model
ORDER BY day, app_id, provider_name, request_model
