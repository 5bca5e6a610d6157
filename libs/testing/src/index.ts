export * from './endpoints';
export * from './wait';
