export { siemForwarder, startSiemForwarder } from './service';
export {
  loadForwarderConfig,
  forwarderConfigSchema,
  SIEM_FORMATS,
  type ForwarderConfig,
  type SiemTopicFormat,
} from './config/forwarder-config';
export { SinkRejectedError, SinkUnavailableError } from './errors/sink-errors';
export { EVENT_ID_HEADER, KafkaSiemSink } from './kafka/kafka-sink';
export { HecClient } from './hec/hec-client';
export { HecSink } from './hec/hec-sink';
export { SyslogSink, truncateForDatagram } from './syslog/syslog-sink';
export { StreamTransport, UdpTransport } from './syslog/transports';
export { createSinks } from './forwarder/sinks';
export type { Sink, SinkName } from './forwarder/sink';
