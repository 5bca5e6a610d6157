import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { testEndpoints } from '@llmops/testing';

const BIN = path.resolve(__dirname, '../bin/llmops.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a user would, with the test cluster's endpoints; `undefined` in `env`
 * unsets a variable.
 */
export function llmops(
  args: string[],
  env: Record<string, string | undefined> = {},
  stdin = '',
): Promise<Run> {
  const e = testEndpoints();
  const vars: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: e.kafkaBrokers,
    CLICKHOUSE_URL: e.clickhouseUrl,
    REDIS_URL: e.redisUrl,
  };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete vars[k];
    else vars[k] = v;
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: vars });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
