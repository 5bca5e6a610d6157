import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureTools, findOnPath, resolveStackOptions, stackUp, type Tool } from '@llmops/stack';
import { childEnvironment } from '../cli-config';
import { parse, UsageError } from '../args';
import type { CliContext } from '../context';
import { describeRuntime, ensureSuiteNode, withNodeOnPath } from '../node-runtime';

export const testHelp = `llmops test [--only build,lint,unit,int,e2e]
  build, lint and type-check, unit tests, then integration and end-to-end tests
  against real Kafka, ClickHouse and Redis: KAFKA_BROKERS, CLICKHOUSE_URL and
  REDIS_URL when set, else Testcontainers when Docker answers, else the local stack.
  Every step runs on Node 24 (fetched once into .cache/node when this node is another);
  missing test tools (rsyslogd, kcat, certtool, docker-compose) are installed with apt-get
  when running as root, else the command to install them is printed.`;

const STAGES = ['build', 'lint', 'unit', 'int', 'e2e'] as const;

const E2E = ['npx', 'jest', '-c', 'jest.e2e.config.js', '--runInBand'];
type Stage = (typeof STAGES)[number];

/** Programs the lint stage runs: the compose file is validated by docker-compose itself. */
const LINT_TOOLS: readonly Tool[] = [{ command: 'docker-compose', packages: ['docker-compose'] }];

/** Real peers the integration and end-to-end tests talk to (services/siem-forwarder/test). */
const TEST_TOOLS: readonly Tool[] = [
  {
    command: 'rsyslogd',
    packages: ['rsyslog', 'rsyslog-gnutls'],
    // The TLS syslog test needs rsyslog's GnuTLS driver, a package of its own.
    present: () => rsyslogTlsDriverDirs().some((d) => fs.existsSync(path.join(d, 'lmnsd_gtls.so'))),
  },
  { command: 'kcat', packages: ['kcat'] },
  { command: 'certtool', packages: ['gnutls-bin'] },
];

function rsyslogTlsDriverDirs(): string[] {
  const lib = '/usr/lib';
  const multiarch = fs.existsSync(lib)
    ? fs
        .readdirSync(lib)
        .filter((d) => d.endsWith('-linux-gnu'))
        .map((d) => path.join(lib, d, 'rsyslog'))
    : [];
  return [...multiarch, path.join(lib, 'rsyslog')];
}

/** docker-compose.yml must stay valid; it requires PII_HMAC_KEY on purpose, a placeholder does here. */
const COMPOSE_CHECK = ['docker-compose', '-f', 'docker-compose.yml', 'config', '-q'];
const COMPOSE_ENV = { PII_HMAC_KEY: 'validation-only-placeholder-0123456789abcdef' };

/** `nx run-many` over every project for the given targets. */
const nx = (...args: string[]) => ['npx', 'nx', 'run-many', '--output-style=stream', '-t', ...args];

export async function testCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values } = parse('test', argv, { only: { type: 'string' } });
  const stages =
    typeof values.only === 'string' ? values.only.split(',').map((s) => s.trim()) : [...STAGES];
  for (const s of stages) {
    if (!STAGES.includes(s as Stage))
      throw new UsageError(`test: unknown stage '${s}'; stages are ${STAGES.join(', ')}`);
  }
  const countsDir = path.join(ctx.repoRoot, '.cache', 'test-counts');
  fs.rmSync(countsDir, { recursive: true, force: true });
  const node = await ensureSuiteNode(ctx.repoRoot, (line) => ctx.err(line));
  ctx.err(`test: the suite runs on ${describeRuntime(node)}`);
  const env: NodeJS.ProcessEnv = withNodeOnPath(
    {
      ...childEnvironment(),
      LLMOPS_TEST_COUNTS_DIR: countsDir,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
    },
    node,
  );
  const run = (cmd: string[], extra: NodeJS.ProcessEnv = {}) =>
    runStep(ctx, cmd, { ...env, ...extra });
  const tools = (list: readonly Tool[]) =>
    ensureTools(list, {
      // As the local stack installs ClickHouse: unless LLMOPS_STACK_INSTALL=false.
      install:
        resolveStackOptions(ctx.stack).install &&
        process.getuid?.() === 0 &&
        findOnPath('apt-get') !== undefined,
      log: (line) => ctx.err(line),
    });
  let toolsChecked = false;

  let ok = true;
  for (const stage of stages as Stage[]) {
    ctx.err(`\n=== ${stage} ===`);
    switch (stage) {
      case 'build':
        ok = await run(nx('build'));
        break;
      case 'lint':
        ok =
          (await run(nx('typecheck', 'lint'))) &&
          (await run(['npx', 'tsc', '-p', 'e2e/tsconfig.json', '--noEmit'])) &&
          (await run(['npx', 'eslint', '--max-warnings=0', 'e2e'])) &&
          (await run(['npx', 'prettier', '--check', '.'])) &&
          (await run(['node', 'libs/contracts/scripts/codegen.js', '--check'])) &&
          (await tools(LINT_TOOLS).then(() => run(COMPOSE_CHECK, COMPOSE_ENV)));
        break;
      case 'unit':
        ok = await run(nx('test:unit'));
        break;
      case 'int':
      case 'e2e':
        if (!toolsChecked) {
          await tools(TEST_TOOLS);
          toolsChecked = true;
        }
        if (ctx.localStack && !env.KAFKA_BROKERS) {
          // Started once here so every project's global setup finds it running.
          const e = await stackUp(ctx.stack);
          Object.assign(env, {
            KAFKA_BROKERS: e.kafkaBrokers,
            CLICKHOUSE_URL: e.clickhouseUrl,
            REDIS_URL: e.redisUrl,
          });
        }
        ok = stage === 'int' ? await run(nx('test:int', '--parallel=1')) : await run(E2E);
        break;
    }
    if (!ok) break;
  }
  const counts = readCounts(countsDir);
  ctx.out(
    `\ntests: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
  );
  return ok && counts.failed === 0 ? 0 : 1;
}

function runStep(ctx: CliContext, cmd: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  ctx.err(`$ ${cmd.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd: ctx.repoRoot, env, stdio: 'inherit' });
    child.once('exit', (code) => resolve(code === 0));
    child.once('error', () => resolve(false));
  });
}

function readCounts(dir: string): { passed: number; failed: number; skipped: number } {
  const total = { passed: 0, failed: 0, skipped: 0 };
  if (!fs.existsSync(dir)) return total;
  for (const f of fs.readdirSync(dir)) {
    const c = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as typeof total;
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  }
  return total;
}
