import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InstallError } from '../errors';
import { isRunnable, runCommand } from '../run';

export interface KafkaJarsOptions {
  /** The pom whose runtime dependencies are the broker (deploy/local/kafka/pom.xml). */
  pomFile: string;
  /** Where the jars go. */
  jarsDir: string;
  log?: (line: string) => void;
  /** @default "mvn" */
  mvn?: string;
}

const HASH_FILE = '.pom.sha256';

/**
 * Resolves the broker's jars with Maven into `jarsDir`, only when that folder is missing or
 * was resolved from a different pom (its hash is kept beside the jars). Returns `jarsDir`.
 * The jars are copied into a fresh folder and swapped in, so a stale jar never stays behind.
 */
export async function ensureKafkaJars(options: KafkaJarsOptions): Promise<string> {
  const jarsDir = path.resolve(options.jarsDir);
  const pom = await readFile(options.pomFile).catch((cause: unknown) => {
    throw new InstallError(`Cannot read the Kafka pom ${options.pomFile}`, {
      component: 'kafka',
      cause,
    });
  });
  const hash = createHash('sha256').update(pom).digest('hex');
  if (await isCurrent(jarsDir, hash)) return jarsDir;

  const mvn = options.mvn ?? 'mvn';
  if (!(await isRunnable(mvn, ['-v']))) {
    throw new InstallError(
      `Maven (${mvn}) is needed once to fetch the Kafka jars into ${jarsDir}; install it (apt-get install -y maven) and retry`,
      { component: 'kafka' },
    );
  }
  options.log?.(
    `kafka: resolving broker jars with Maven into ${jarsDir} (first run or pom changed)`,
  );
  const staging = `${jarsDir}.staging-${process.pid}-${randomBytes(3).toString('hex')}`;
  try {
    await runCommand(mvn, [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      options.pomFile,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
    ]);
    if (!(await hasBrokerJar(staging))) {
      throw new InstallError(`Maven finished but ${staging} holds no kafka_2.13 jar`, {
        component: 'kafka',
      });
    }
    await writeFile(path.join(staging, HASH_FILE), `${hash}\n`);
    await rm(jarsDir, { recursive: true, force: true });
    await rename(staging, jarsDir);
  } catch (cause) {
    await rm(staging, { recursive: true, force: true });
    // Another process may have swapped in the same jars at the same moment.
    if (await isCurrent(jarsDir, hash)) return jarsDir;
    if (cause instanceof InstallError) throw cause;
    throw new InstallError(`Could not resolve the Kafka jars from ${options.pomFile}`, {
      component: 'kafka',
      cause,
    });
  }
  return jarsDir;
}

async function isCurrent(jarsDir: string, hash: string): Promise<boolean> {
  const stored = await readFile(path.join(jarsDir, HASH_FILE), 'utf8').catch(() => undefined);
  return stored?.trim() === hash && (await hasBrokerJar(jarsDir));
}

async function hasBrokerJar(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return false;
  return (await readdir(dir)).some((name) => /^kafka_2\.13-.*\.jar$/.test(name));
}
