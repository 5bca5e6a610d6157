export { startTokenAccountant, tokenAccountant } from './service';
export { loadAccountantConfig, type AccountantConfig } from './config/accountant-config';
export { Accountant, countScript } from './accounting/accountant';
export { toCountable, InvalidUsageError } from './accounting/invocation-usage';
/** The budget records' id scheme, now `stableUuid` of `@llmops/contracts`. */
export { stableUuid as stableId } from '@llmops/contracts';
