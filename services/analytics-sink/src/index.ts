export { startAnalyticsSink } from './bootstrap';
export { loadSinkConfig, type SinkConfig } from './config/sink-config';
