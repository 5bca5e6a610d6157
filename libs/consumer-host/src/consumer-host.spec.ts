import { createLogger } from '@llmops/observability';
import { ConsumerHost, type Runnable } from './consumer-host';
import { resource } from './consumer-service';

const silent = createLogger('test', { level: 'silent' });

function recorder() {
  const steps: string[] = [];
  const res = (name: string, failOpen = false) =>
    resource(
      name,
      async () => {
        if (failOpen) throw new Error(`${name} refused`);
        steps.push(`open ${name}`);
      },
      async () => void steps.push(`close ${name}`),
    );
  const runner = (name: string, failStart = false): Runnable => ({
    start: async () => {
      steps.push(`start ${name}`);
      if (failStart) throw new Error(`${name} cannot subscribe`);
    },
    stop: async () => void steps.push(`stop ${name}`),
  });
  return { steps, res, runner };
}

describe('ConsumerHost', () => {
  it('opens resources in order before consuming and closes them in reverse after stopping', async () => {
    const { steps, res, runner } = recorder();
    const host = new ConsumerHost(
      'svc',
      [res('a'), res('b')],
      [runner('c1'), runner('c2')],
      silent,
    );
    await host.start();
    await host.stop();
    expect(steps).toEqual([
      'open a',
      'open b',
      'start c1',
      'start c2',
      'stop c1',
      'stop c2',
      'close b',
      'close a',
    ]);
  });

  it('closes what it opened and rethrows when a resource cannot open', async () => {
    const { steps, res, runner } = recorder();
    const host = new ConsumerHost('svc', [res('a'), res('b', true)], [runner('c1')], silent);
    await expect(host.start()).rejects.toThrow('b refused');
    expect(steps).toEqual(['open a', 'close a']);
  });

  it('stops every consumer and closes the resources when a consumer cannot start', async () => {
    const { steps, res, runner } = recorder();
    const host = new ConsumerHost('svc', [res('a')], [runner('c1'), runner('c2', true)], silent);
    await expect(host.start()).rejects.toThrow('c2 cannot subscribe');
    expect(steps).toEqual(['open a', 'start c1', 'start c2', 'stop c1', 'stop c2', 'close a']);
  });

  it('undoes nothing twice when stopped again', async () => {
    const { steps, res, runner } = recorder();
    const host = new ConsumerHost('svc', [res('a')], [runner('c1')], silent);
    await host.start();
    await host.stop();
    await host.stop();
    expect(steps).toEqual(['open a', 'start c1', 'stop c1', 'close a']);
  });

  it('closes every resource even when one fails to close, then reports the failure', async () => {
    const { steps, res } = recorder();
    const broken = resource(
      'broken',
      async () => undefined,
      async () => {
        throw new Error('socket gone');
      },
    );
    const host = new ConsumerHost('svc', [res('a'), broken], [], silent);
    await host.start();
    await expect(host.stop()).rejects.toThrow('1 step(s) of the shutdown failed');
    expect(steps).toEqual(['open a', 'close a']);
  });
});
