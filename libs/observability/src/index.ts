export * from './logger';
export * from './kafka-log';
export * from './metrics';
export * from './nest-logger';
export * from './shutdown';
