export { guardrailMonitor, startGuardrailMonitor } from './service';
export { loadMonitorConfig, type MonitorConfig } from './config/monitor-config';
export { InvocationMonitor } from './findings/invocation-monitor';
export { staticRuleSource, type RuleSource } from './rules/rule-source';
export { guardrailFindingId } from './findings/finding';
export { FINDING_ID_HEADER, EVENT_ID_HEADER } from './findings/monitor-batch';
