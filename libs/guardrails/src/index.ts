export { GuardrailError, GuardrailConfigError, GuardrailEvaluationError } from './errors';
export { loadRules, loadRuleFile } from './load-rules';
export { GuardrailEngine } from './engine';
export type { GuardrailEngineOptions } from './engine';
export { applyRedactions, REDACTED } from './redact';
export { RULE_SEVERITIES, ruleSchema, rulesFileSchema, checkSchema } from './rule-schema';
export { CODE_LANGUAGES } from './rule-schema';
export { makeCanary, plantCanary, CANARY_PATTERN } from './checks/canary';
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
  ToolLimitsCheck,
  ToolSequenceCheck,
  ToolPattern,
  RetrievalSourceCheck,
  ExpressionCheck,
  PiiCheck,
  LanguageCheck,
  CodeCheck,
  CodeLanguage,
  ModelCheck,
  MetadataCheck,
  LeakageCheck,
  AllCheck,
  AnyCheck,
  NotCheck,
  JsonSchema,
} from './rule-schema';
export type {
  GuardrailItem,
  GuardrailContext,
  GuardrailToolHistory,
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
