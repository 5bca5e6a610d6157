import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stackUp } from '@llmops/stack';
import { childEnvironment } from '../cli-config';
import { parse, UsageError } from '../args';
import type { CliContext } from '../context';

export const testHelp = `llmops test [--only build,lint,unit,int,e2e]
  build, lint and type-check, unit tests, then integration and end-to-end tests
  against real Kafka, ClickHouse and Redis: KAFKA_BROKERS, CLICKHOUSE_URL and
  REDIS_URL when set, else Testcontainers when Docker answers, else the local stack`;

const STAGES = ['build', 'lint', 'unit', 'int', 'e2e'] as const;
type Stage = (typeof STAGES)[number];

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
  const env: NodeJS.ProcessEnv = {
    ...childEnvironment(),
    LLMOPS_TEST_COUNTS_DIR: countsDir,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
  };
  const run = (cmd: string[]) => runStep(ctx, cmd, env);

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
          (await run(['node', 'libs/contracts/scripts/codegen.js', '--check']));
        break;
      case 'unit':
        ok = await run(nx('test:unit'));
        break;
      case 'int':
      case 'e2e':
        if (ctx.localStack && !env.KAFKA_BROKERS) {
          // Started once here so every project's global setup finds it running.
          const e = await stackUp(ctx.stack);
          Object.assign(env, {
            KAFKA_BROKERS: e.kafkaBrokers,
            CLICKHOUSE_URL: e.clickhouseUrl,
            REDIS_URL: e.redisUrl,
          });
        }
        ok =
          stage === 'int'
            ? await run(nx('test:int', '--parallel=1'))
            : await run(['npx', 'jest', '-c', 'jest.e2e.config.js', '--runInBand']);
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
