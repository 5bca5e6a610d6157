-- PII and secret findings by entity type per day, for one tenant and a range of days (UTC, both
-- ends included): how many invocations had at least one finding of the type, how many of those
-- went to an external endpoint, and how many findings (of all types) those invocations had.
-- Per-type finding counts are not in this table (the pii-scanner stores only the types and the
-- total count on the redacted invocation).
-- Params: tenant String, from Date, to Date.
--
-- Duplicate-free by FINAL (see usage_by_day.sql for why FINAL rather than argMax or
-- LIMIT 1 BY), applied before ARRAY JOIN so each invocation contributes once per type.
SELECT
    toDate(start_time)                  AS day,
    pii_type,
    count()                             AS invocations,
    countIf(endpoint_kind = 'external') AS external_invocations,
    sum(pii_finding_count)              AS findings_in_those_invocations
FROM {{database}}.invocations FINAL
ARRAY JOIN pii_types AS pii_type
WHERE tenant_id = {{tenant:String}}
  AND toDate(start_time) >= {{from:Date}}
  AND toDate(start_time) <= {{to:Date}}
GROUP BY day, pii_type
ORDER BY day, invocations DESC, pii_type
