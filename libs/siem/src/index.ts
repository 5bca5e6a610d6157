export * from './constants';
export * from './errors';
export * from './formats';
export { FIELD_LIMITS, prepareEvent, type PreparedEvent } from './prepare';
export {
  CATEGORY_TITLES,
  CEF_SEVERITY,
  OCSF_SEVERITY,
  SYSLOG_SEVERITY,
  summary,
  title,
} from './describe';
export {
  OCSF_CLASSES,
  OCSF_CLASS_BY_CATEGORY,
  formatOcsf,
  toOcsf,
  toOcsfApiActivity,
  type OcsfClassName,
  type OcsfRecord,
} from './ocsf/ocsf';
export { escapeCefExtension, escapeCefHeader, toCef } from './cef';
export { formatEcs, toEcs, type EcsDocument } from './ecs';
export {
  escapeSdParamValue,
  formatRfc5424,
  frameOctetCounting,
  toSyslog,
  type Rfc5424Message,
  type SyslogOptions,
  type SyslogStructuredElement,
} from './syslog';
export { runSiemFormatCli, type SiemFormat, type SiemFormatCliOptions } from './cli';
