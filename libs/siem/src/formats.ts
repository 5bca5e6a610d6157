import type { SecurityEvent } from '@llmops/contracts';
import { toCef } from './cef';
import { formatEcs, toEcs, type EcsDocument } from './ecs';
import { formatOcsf, toOcsf, type OcsfRecord } from './ocsf/ocsf';

/** The record formats a security event is written in: SIEM topics, syslog bodies, HEC events. */
export const SIEM_RECORD_FORMATS = ['ocsf', 'cef', 'ecs'] as const;
export type SiemRecordFormat = (typeof SIEM_RECORD_FORMATS)[number];

/** Each format as one line of text: a record of its SIEM topic, a syslog MSG, a CLI output line. */
export const SIEM_FORMATTERS: Readonly<Record<SiemRecordFormat, (event: SecurityEvent) => string>> =
  { ocsf: formatOcsf, cef: toCef, ecs: formatEcs };

/** Each format as a document to embed in JSON (a HEC event): OCSF and ECS objects, the CEF line. */
export const SIEM_DOCUMENTS: Readonly<
  Record<SiemRecordFormat, (event: SecurityEvent) => OcsfRecord | EcsDocument | string>
> = { ocsf: toOcsf, ecs: toEcs, cef: toCef };
