-- Error rate per day, app and model, for one tenant and a range of days (UTC, both ends
-- included): requests, errors (status = 'error') and their ratio, rounded to 4 places.
-- Params: tenant String, from Date, to Date.
--
-- Duplicate-free by FINAL (see usage_by_day.sql for why FINAL rather than argMax or
-- LIMIT 1 BY): a redelivered error must not count twice in either the numerator or the
-- denominator.
SELECT
    toDate(start_time)                  AS day,
    app_id,
    request_model,
    count()                             AS requests,
    countIf(status = 'error')           AS errors,
    round(errors / requests, 4)         AS error_rate
FROM {{database}}.invocations FINAL
WHERE tenant_id = {{tenant:String}}
  AND toDate(start_time) >= {{from:Date}}
  AND toDate(start_time) <= {{to:Date}}
GROUP BY day, app_id, request_model
ORDER BY day, app_id, request_model
