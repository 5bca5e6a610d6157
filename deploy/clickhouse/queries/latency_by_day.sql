-- Latency quantiles (p50, p90, p99 of duration and of time to first token, in ms) per day, app
-- and model, for one tenant and a range of days (UTC, both ends included). Invocations without a
-- measurement (NULL) are left out of that measurement's quantiles; with_duration / with_ttft say
-- how many were measured. A quantile is null when nothing was measured.
-- quantiles() (interpolating) uses every value of a group up to 8192 values and a deterministic
-- reservoir sample above that: approximate for big groups, with bounded memory.
-- Params: tenant String, from Date, to Date.
--
-- Duplicate-free by FINAL (see usage_by_day.sql for why FINAL rather than argMax or
-- LIMIT 1 BY): duplicates would weigh the quantiles towards redelivered events.
SELECT
    day,
    app_id,
    request_model,
    requests,
    with_duration,
    round(duration_q[1], 1) AS duration_p50_ms,
    round(duration_q[2], 1) AS duration_p90_ms,
    round(duration_q[3], 1) AS duration_p99_ms,
    with_ttft,
    round(ttft_q[1], 1)     AS ttft_p50_ms,
    round(ttft_q[2], 1)     AS ttft_p90_ms,
    round(ttft_q[3], 1)     AS ttft_p99_ms
FROM
(
    SELECT
        toDate(start_time)                                AS day,
        app_id,
        request_model,
        count()                                           AS requests,
        count(duration_ms)                                AS with_duration,
        quantiles(0.5, 0.9, 0.99)(duration_ms)            AS duration_q,
        count(time_to_first_token_ms)                     AS with_ttft,
        quantiles(0.5, 0.9, 0.99)(time_to_first_token_ms) AS ttft_q
    FROM {{database}}.invocations FINAL
    WHERE tenant_id = {{tenant:String}}
      AND toDate(start_time) >= {{from:Date}}
      AND toDate(start_time) <= {{to:Date}}
    GROUP BY day, app_id, request_model
)
ORDER BY day, app_id, request_model
