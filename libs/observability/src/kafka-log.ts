import type { Logger } from 'pino';

/** kafkajs log levels (logLevel enum values) mapped to pino methods. */
const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  1: 'error',
  2: 'warn',
  4: 'info',
  5: 'debug',
};

interface KafkaLogEntry {
  namespace: string;
  level: number;
  log: { message: string; timestamp?: string; logger?: string } & Record<string, unknown>;
}

/** A kafkajs `logCreator` that routes kafkajs's logs through the service's pino logger. */
export function kafkaLogCreator(logger: Logger) {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return (_level: number) =>
    ({ namespace, level, log }: KafkaLogEntry) => {
      const { message, timestamp: _t, logger: _l, ...fields } = log;
      kafkaLogger[LEVELS[level] ?? 'info']({ namespace, ...fields }, message);
    };
}
