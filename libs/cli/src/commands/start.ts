import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { stackDown, stackStatus, stackUp } from '@llmops/stack';
import { childEnvironment } from '../cli-config';
import type { CliContext } from '../context';
import { describeRuntime, ensureSuiteNode, withNodeOnPath } from '../node-runtime';
import { devHmacKey, ensureDevKey } from './dev-secrets';
import { ensurePlatformTopics } from './topics';

export const startHelp = `llmops start
  start the whole system: the local stack (when KAFKA_BROKERS, CLICKHOUSE_URL and REDIS_URL
  are all unset), topics, then the ingress, pii-scanner, analytics-sink, token-accountant,
  siem-forwarder and guardrail-monitor (each consumer serves /metrics on 127.0.0.1:9101-9105;
  the monitor judges reported calls by the gateway's rules, from the control plane). Ctrl-C
  stops it all.`;

const SERVICES = [
  'ingress',
  'pii-scanner',
  'analytics-sink',
  'token-accountant',
  'siem-forwarder',
  'guardrail-monitor',
] as const;

/** Where each consumer serves /metrics and /healthz on this host (the ingress: on its API port). */
export const METRICS_PORTS: Record<Exclude<(typeof SERVICES)[number], 'ingress'>, number> = {
  'pii-scanner': 9101,
  'analytics-sink': 9102,
  'token-accountant': 9103,
  'siem-forwarder': 9104,
  'guardrail-monitor': 9105,
};

export async function startCommand(ctx: CliContext): Promise<number> {
  const node = await ensureSuiteNode(ctx.repoRoot, (line) => ctx.err(line));
  ctx.err(`start: the services run on ${describeRuntime(node)}`);
  const stackWasUp = ctx.localStack && (await stackStatus(ctx.stack)).every((s) => s.running);
  if (ctx.localStack) await stackUp(ctx.stack);
  await ensurePlatformTopics(ctx);
  const apiKey = await ensureDevKey(ctx);
  const env: NodeJS.ProcessEnv = {
    ...withNodeOnPath(childEnvironment(), node),
    KAFKA_BROKERS: ctx.endpoints.kafkaBrokers,
    // The services create topics too (SIEM, replay marks): with the same replication.
    TOPIC_REPLICATION_FACTOR: String(ctx.config.TOPIC_REPLICATION_FACTOR),
    CLICKHOUSE_URL: ctx.endpoints.clickhouseUrl,
    REDIS_URL: ctx.endpoints.redisUrl,
    PII_HMAC_KEY: devHmacKey(ctx),
    LOG_FORMAT:
      ctx.config.LOG_FORMAT === 'json' && process.stdout.isTTY ? 'pretty' : ctx.config.LOG_FORMAT,
  };
  // Where the gateway spools records while Kafka is away (for tenants whose policy says so).
  const ingressEnv = {
    ...env,
    GATEWAY_SPOOL_DIR: env.GATEWAY_SPOOL_DIR ?? path.join(ctx.repoRoot, '.cache', 'gateway-spool'),
  };
  const monitorEnv = { ...env, METRICS_PORT: String(METRICS_PORTS['guardrail-monitor']) };
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const done = new Promise<number>((resolve) => {
    const stopAll = async (code: number) => {
      if (stopping) return;
      stopping = true;
      ctx.err('stopping services…');
      await Promise.all([...children.values()].map((c) => terminate(c)));
      if (ctx.localStack && !stackWasUp) await stackDown(ctx.stack);
      resolve(code);
    };
    process.once('SIGINT', () => void stopAll(0));
    process.once('SIGTERM', () => void stopAll(0));
    for (const name of SERVICES) {
      const child = spawn(
        node.execPath,
        [path.join(ctx.repoRoot, 'services', name, 'dist', 'main.js')],
        {
          env:
            name === 'ingress'
              ? ingressEnv
              : name === 'guardrail-monitor'
                ? monitorEnv
                : { ...env, METRICS_PORT: String(METRICS_PORTS[name]) },
          stdio: 'inherit',
        },
      );
      children.set(name, child);
      child.once('exit', (code, signal) => {
        children.delete(name);
        if (!stopping) {
          ctx.err(`${name} exited (${signal ?? `code ${code}`}); stopping the rest`);
          void stopAll(1);
        }
      });
    }
  });
  const url = `http://127.0.0.1:${ctx.config.INGRESS_PORT}`;
  if (await waitReady(`${url}/readyz`, () => stopping)) printBanner(ctx, url, apiKey);
  return done;
}

async function waitReady(url: string, stopped: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !stopped()) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function terminate(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function printBanner(ctx: CliContext, url: string, apiKey: string): void {
  ctx.out(`
llmops is running.
  API           ${url}   (health: ${url}/readyz, metrics: ${url}/metrics)
  Consumers     metrics on ${Object.entries(METRICS_PORTS)
    .map(([name, port]) => `${name} :${port}`)
    .join(', ')}
  Kafka         ${ctx.endpoints.kafkaBrokers}
  ClickHouse    ${ctx.endpoints.clickhouseUrl}   (database ${ctx.config.CLICKHOUSE_DATABASE})
  Dev API key   ${apiKey}   (tenant dev; also in .cache/dev-api-key)

Send a first event:
  curl -sS -X POST ${url}/v1/events \\
    -H "authorization: Bearer $(cat .cache/dev-api-key)" -H 'content-type: application/json' \\
    -d '{"app_id":"demo","operation":"chat","provider_name":"openai","request_model":"gpt-4o",
         "start_time_ms":'$(date +%s000)',"usage":{"input_tokens":12,"output_tokens":30},
         "input_messages":[{"role":"user","content":"Mail jane.doe@example.com about the order"}]}'

Then see it, redacted, in ClickHouse a few seconds later:
  curl -sS '${ctx.endpoints.clickhouseUrl}/?query=SELECT+event_id,input_messages_json+FROM+${ctx.config.CLICKHOUSE_DATABASE}.invocations+FINAL+FORMAT+Vertical'

Ctrl-C stops everything.`);
}
