export { PII_TYPES, SECRET_TYPES, CHECKSUM_TYPES, isPiiType } from './types';
export type { PiiType, Finding } from './types';
export { PiiError, PiiConfigError } from './errors';
export { PiiEngine } from './engine';
export type { PiiEngineOptions } from './engine';
export { valueHash, canonicalValue } from './redact/hash';
export type { HmacKey } from './redact/hash';
export {
  DEFAULT_DESTINATION_POLICIES,
  OPERATORS,
  assertPolicy,
  operatorFor,
} from './redact/policy';
export type { Operator, RedactionPolicy, DestinationPolicies } from './redact/policy';
export { Redactor, REDACTED, mask } from './redact/redactor';
export type { RedactorOptions, Redaction } from './redact/redactor';
export { scanFields } from './redact/scan-fields';
export type { TextField, FieldFinding, ScannedFields } from './redact/scan-fields';
export { runScanCli } from './cli/run-scan-cli';
export type { ScanCliOptions } from './cli/run-scan-cli';
