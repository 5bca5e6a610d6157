import * as path from 'node:path';
import { LocalKafka, ensureKafkaJars, findFreePorts } from '@llmops/stack';
import { repoRoot } from './pipeline-harness';

/**
 * A single-node Kafka of the test's own, in `dir`, for tests that stop and start it (the shared
 * one must stay up for every other test). Started before it is returned.
 */
export async function startOwnKafka(dir: string): Promise<LocalKafka> {
  const jarsDir = await ensureKafkaJars({
    pomFile: path.join(repoRoot, 'deploy/local/kafka/pom.xml'),
    jarsDir: path.join(repoRoot, '.cache/kafka/libs'),
  });
  const [port, controllerPort] = await findFreePorts(2);
  const kafka = new LocalKafka({
    dir,
    port: port!,
    controllerPort: controllerPort!,
    jarsDir,
    heapMb: 384,
  });
  await kafka.start();
  return kafka;
}
