export { GuardrailError, GuardrailConfigError, GuardrailEvaluationError } from './errors';
export { loadRules } from './load-rules';
export { GuardrailEngine } from './engine';
export type { GuardrailEngineOptions } from './engine';
export { applyRedactions, REDACTED } from './redact';
export { RULE_SEVERITIES, ruleSchema, rulesFileSchema, checkSchema } from './rule-schema';
export type {
  Rule,
  RuleInput,
  RuleScope,
  Check,
  CheckType,
  RegexCheck,
  PhrasesCheck,
  LengthCheck,
  JsonCheck,
  UrlsCheck,
  ToolAllowlistCheck,
  AllCheck,
  AnyCheck,
  NotCheck,
  JsonSchema,
} from './rule-schema';
export type {
  GuardrailItem,
  GuardrailContext,
  GuardrailMessage,
  GuardrailResult,
  GuardrailRedaction,
} from './item';
export type { GuardrailDecision } from '@llmops/contracts';
export { runCheckCli } from './cli/run-check-cli';
export { itemLineSchema, parseItemLine, toItem, describeLineError } from './cli/item-line';
export type { ItemLine } from './cli/item-line';
export { evaluateDataset, formatReport, DatasetError } from './eval/run-eval';
export type { DatasetFile, EvalOptions, EvalReport } from './eval/run-eval';
export { score, figures, quantile, gateFailures } from './eval/score';
export type { Outcome, Confusion, Figures, FamilyFigures, Miss, Score, Gate } from './eval/score';
