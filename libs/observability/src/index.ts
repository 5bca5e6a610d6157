export * from './logger';
export * from './kafka-log';
export * from './metrics';
