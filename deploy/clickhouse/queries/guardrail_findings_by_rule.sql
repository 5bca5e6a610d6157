-- Guardrail findings per day and rule, for one tenant and a range of days (UTC, both ends
-- included): how many findings each rule revision made at each stage, split by how they were
-- made (mode: enforce in the gateway, detect by the guardrail-monitor) and what they found
-- (violated, or the check failed closed / open), over how many distinct invocations.
-- Params: tenant String, from Date, to Date.
--
-- Duplicate-free by FINAL (see usage_by_day.sql for why FINAL rather than argMax or
-- LIMIT 1 BY): a redelivered finding is a second row with the same finding_id until a merge.
-- A rule revision has one severity (a change of severity is a new revision), hence any().
SELECT
    toDate(time)                       AS day,
    rule_id,
    rule_revision,
    stage,
    mode,
    any(severity)                      AS severity,
    count()                            AS findings,
    countIf(outcome = 'violated')      AS violated,
    countIf(outcome = 'error_blocked') AS error_blocked,
    countIf(outcome = 'error_passed')  AS error_passed,
    uniqExact(event_id)                AS invocations
FROM {{database}}.guardrail_findings FINAL
WHERE tenant_id = {{tenant:String}}
  AND toDate(time) >= {{from:Date}}
  AND toDate(time) <= {{to:Date}}
GROUP BY day, rule_id, rule_revision, stage, mode
ORDER BY day, findings DESC, rule_id, rule_revision, stage, mode
