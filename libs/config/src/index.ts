export * from './config';
export * from './kafka-config';
