export * from './endpoints';
export * from './wait';
export * from './kafka';
