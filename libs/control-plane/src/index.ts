export * from './api-key-format';
export * from './api-key-store';
export * from './compacted-topic';
export * from './canonical-json';
export * from './require-topic';
export * from './guardrail-rules/guardrail-rule-store';
export * from './guardrail-rules/guardrail-engines';
