import { ConfigError } from '@llmops/config';
import { startIngress } from './bootstrap';
import { loadIngressConfig } from './config/ingress-config';

Promise.resolve()
  .then(async () => {
    const app = await startIngress(loadIngressConfig());
    process.stdout.write(
      `${JSON.stringify({ msg: 'ingress listening', url: await app.getUrl() })}\n`,
    );
  })
  .catch((err: unknown) => {
    process.stderr.write(
      err instanceof ConfigError
        ? `${err.message}\n`
        : `ingress failed to start: ${(err as Error).stack ?? String(err)}\n`,
    );
    process.exit(1);
  });
