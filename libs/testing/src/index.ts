export * from './endpoints';
export * from './wait';
export * from './kafka';
export * from './platform';
export * from './upstream';
