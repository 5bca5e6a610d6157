import { UsageError } from '../args';
import { parseRoutesArgs, parseTarget, routesTable, targetText, type RouteView } from './routes';

describe('parseTarget', () => {
  it.each([
    ['openai', { upstream: 'openai' }],
    ['vllm:llama-3.1-8b', { upstream: 'vllm', model: 'llama-3.1-8b' }],
    ['ollama:llama3.2:1b@3', { upstream: 'ollama', model: 'llama3.2:1b', weight: 3 }],
    ['openai@0.5', { upstream: 'openai', weight: 0.5 }],
    ['hf:meta-llama/Llama-3.1-8B', { upstream: 'hf', model: 'meta-llama/Llama-3.1-8B' }],
  ])('reads %s', (text, target) => {
    expect(parseTarget(text)).toEqual(target);
    expect(targetText(target)).toBe(text);
  });

  it.each(['', ':m', '@2', 'a:', 'a:@2'])('refuses %j, showing the syntax', (text) => {
    expect(() => parseTarget(text)).toThrow(
      /^routes set: --target '.*' is not UPSTREAM\[:MODEL\]\[@WEIGHT\]/,
    );
  });
});

describe('parseRoutesArgs', () => {
  it('turns set into the body of PUT /v1/admin/routes/<model>, targets in order', () => {
    expect(
      parseRoutesArgs(['set', 'gpt-4o-mini', '--target', 'vllm:llama', '--target', 'openai']),
    ).toEqual({
      sub: 'set',
      model: 'gpt-4o-mini',
      body: { targets: [{ upstream: 'vllm', model: 'llama' }, { upstream: 'openai' }] },
    });
  });

  it('gives every target a weight with --strategy weighted (1 where none is given)', () => {
    expect(
      parseRoutesArgs(['set', 'm', '--target', 'a@3', '--target', 'b', '--strategy', 'weighted']),
    ).toMatchObject({
      body: {
        targets: [
          { upstream: 'a', weight: 3 },
          { upstream: 'b', weight: 1 },
        ],
      },
    });
  });

  it('reads list and remove', () => {
    expect(parseRoutesArgs(['list'])).toEqual({ sub: 'list', json: false });
    expect(parseRoutesArgs(['remove', 'llama3.2:1b'])).toEqual({
      sub: 'remove',
      model: 'llama3.2:1b',
    });
  });

  it.each([
    [['frob'], /^routes: expected set, list or remove/],
    [['set', 'm'], /^routes set: give at least one --target/],
    [['set', '--target', 'a'], /^routes set: give one model/],
    [
      ['set', 'm', '--target', 'a@2', '--strategy', 'ordered'],
      /ordered takes targets without @WEIGHT/,
    ],
    [
      ['set', 'm', '--target', 'a', '--strategy', 'random'],
      /--strategy must be ordered or weighted/,
    ],
    [['remove', 'a', 'b'], /^routes remove: give one model/],
  ])('refuses %j as a usage error', (argv, message) => {
    expect(() => parseRoutesArgs(argv)).toThrow(UsageError);
    expect(() => parseRoutesArgs(argv)).toThrow(message);
  });
});

describe('routesTable', () => {
  it('shows each route as targets `routes set` takes back, and its strategy', () => {
    const by = { source: 'api', key_id: 'k', tenant_id: 'ops', file: null };
    const routes: RouteView[] = [
      {
        model: 'balanced',
        targets: [
          { upstream: 'vllm', model: 'llama', weight: 3 },
          { upstream: 'openai', model: 'gpt-4o-mini', weight: 1 },
        ],
        revision: 2,
        changed_at: '2026-01-02T12:00:00.000Z',
        changed_by: by,
      },
      {
        model: 'gpt-4o-mini',
        targets: [{ upstream: 'vllm', model: 'llama' }, { upstream: 'openai' }],
        revision: 1,
        changed_at: '2026-01-02T12:00:00.000Z',
        changed_by: by,
      },
    ];
    expect(routesTable(routes)).toEqual([
      'MODEL        STRATEGY  TARGETS                            REV  CHANGED                   BY',
      'balanced     weighted  vllm:llama@3 openai:gpt-4o-mini@1  2    2026-01-02T12:00:00.000Z  key k (ops)',
      'gpt-4o-mini  ordered   vllm:llama openai                  1    2026-01-02T12:00:00.000Z  key k (ops)',
    ]);
  });
});
