-- 0002: keep the (redacted) error message and retrieved documents, which the pii-scanner scans
-- and redacts like every other text field. Analysts need error texts to group failures, and
-- the retrieved context to audit what a RAG app put in front of a model.
--
-- ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS; each statement is a migration of its own
-- step, recorded once applied (see libs/clickhouse, migrate()).
ALTER TABLE {{database}}.invocations ADD COLUMN error_message String DEFAULT '' AFTER error_type;
ALTER TABLE {{database}}.invocations ADD COLUMN retrievals_json String DEFAULT '[]' AFTER tool_calls_json;
