export { analyticsSink, startAnalyticsSink } from './service';
export { loadSinkConfig, type SinkConfig } from './config/sink-config';
