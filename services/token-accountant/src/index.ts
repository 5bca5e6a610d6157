export { startTokenAccountant, tokenAccountant } from './service';
export { loadAccountantConfig, type AccountantConfig } from './config/accountant-config';
export { Accountant, countScript } from './accounting/accountant';
export { toCountable, InvalidUsageError } from './accounting/invocation-usage';
export { stableId } from './accounting/budget-records';
