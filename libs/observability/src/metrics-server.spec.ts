import { Counter } from 'prom-client';
import { createLogger } from './logger';
import { createMetricsRegistry } from './metrics';
import { MetricsServer } from './metrics-server';

const silent = createLogger('test', { level: 'silent' });

describe('MetricsServer', () => {
  const registry = createMetricsRegistry('test-service');
  const counted = new Counter({
    name: 'llmops_test_things_total',
    help: 'Things',
    labelNames: ['kind'],
    registers: [registry],
  });
  const server = new MetricsServer({
    registry,
    host: '127.0.0.1',
    port: 0,
    logger: silent,
  });
  const get = async (path: string, method = 'GET') => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { method });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  beforeAll(() => server.onModuleInit());
  afterAll(() => server.onApplicationShutdown());

  it("serves the registry's metrics with the service label, in Prometheus text", async () => {
    counted.inc({ kind: 'a' }, 3);
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toBe(registry.contentType);
    expect(res.text).toContain('llmops_test_things_total{kind="a",service="test-service"} 3');
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  it('answers /healthz while the process runs', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, text: '{"status":"ok"}\n' });
  });

  it('answers other paths with 404 and other methods with 405', async () => {
    expect((await get('/')).status).toBe(404);
    expect((await get('/metrics', 'POST')).status).toBe(405);
  });

  it('does not listen when no port is configured', async () => {
    const none = new MetricsServer({
      registry,
      host: '127.0.0.1',
      port: undefined,
      logger: silent,
    });
    await none.start();
    expect(none.port).toBeUndefined();
    await none.stop();
  });

  it('says which variable to change when the port is taken', async () => {
    const clash = new MetricsServer({
      registry,
      host: '127.0.0.1',
      port: server.port,
      logger: silent,
    });
    await expect(clash.start()).rejects.toThrow(/METRICS_PORT \d+ on 127\.0\.0\.1 is in use/);
  });
});
