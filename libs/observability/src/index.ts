export * from './logger';
export * from './kafka-log';
export * from './metrics';
export * from './metrics-server';
export * from './nest-logger';
export * from './shutdown';
