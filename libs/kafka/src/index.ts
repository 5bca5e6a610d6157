export * from './client';
export * from './consumer-runner';
export * from './dlq';
export * from './errors';
export * from './publisher';
export * from './topics';
