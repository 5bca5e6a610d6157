export * from './consumer-host';
export * from './consumer-host.module';
export * from './consumer-service';
export * from './start-consumer-service';
