export type { ComponentStatus, StackEndpoints, StackOptions, StackPorts } from './types';
export { stackDown, stackStatus, stackUp } from './stack';
export {
  DEFAULT_PORTS,
  endpointsFor,
  resolveStackOptions,
  stackOptionsFromEnv,
  type ResolvedStackOptions,
} from './options';
export { findRepoRoot } from './repo-root';
export { canConnect, findFreePorts } from './net';
export { LocalKafka, type LocalKafkaOptions } from './kafka/local-kafka';
export {
  LocalKafkaCluster,
  clusterNodePorts,
  type KafkaNodePorts,
  type LocalKafkaClusterOptions,
} from './kafka/local-kafka-cluster';
export { ensureKafkaJars, type KafkaJarsOptions } from './kafka/jars';
export {
  clusterReplication,
  kafkaProperties,
  newClusterId,
  quorumVoters,
  renderProperties,
  type KafkaNodeConfig,
  type KafkaVoter,
} from './kafka/props';
export { LocalClickHouse, type LocalClickHouseOptions } from './clickhouse/local-clickhouse';
export { aptInstall, aptInstallCommand, type AptOptions } from './apt';
export { ensureTools, findOnPath, missingTools, type EnsureToolsOptions, type Tool } from './tools';
export { ensureClickHouse, findClickHouse, type ClickHouseCommand } from './clickhouse/binary';
export { renderClickHouseConfig, type ClickHouseConfigValues } from './clickhouse/config';
export { LocalRedis, type LocalRedisOptions } from './redis/local-redis';
export {
  CommandError,
  ComponentNotReadyError,
  InstallError,
  PortInUseError,
  StackConfigError,
  StackError,
  type StackComponent,
} from './errors';
