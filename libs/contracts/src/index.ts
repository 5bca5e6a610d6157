export * from './generated/schemas';
export * from './codec';
export * from './errors';
export * from './fingerprint';
export * from './invocation-limits';
export * from './topics';
export * from './record-limits';
export * from './stable-id';
