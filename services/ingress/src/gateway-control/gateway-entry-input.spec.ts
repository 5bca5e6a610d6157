import { canonicalJson, parseRoute, parseUpstream, readSpec } from './gateway-entry-input';

const upstream = {
  base_url: 'http://127.0.0.1:11434/v1',
  format: 'openai',
  endpoint_kind: 'internal',
};

describe('parseUpstream', () => {
  it('takes the name from the path and fills the defaults the file gets', () => {
    const parsed = parseUpstream('ollama', { ...upstream, credential: { env: 'OLLAMA_KEY' } });
    expect(parsed).toEqual({
      ok: true,
      spec: {
        name: 'ollama',
        ...upstream,
        credential: { env: 'OLLAMA_KEY' },
        timeouts: { connect_ms: 5_000, first_byte_ms: 120_000, total_ms: 600_000 },
      },
    });
  });

  it.each([
    ['a URL that is not http(s)', { base_url: 'ftp://x' }, 'base_url'],
    ['an unknown format', { format: 'bedrock' }, 'format'],
    ['an unknown endpoint kind', { endpoint_kind: 'moon' }, 'endpoint_kind'],
    ['a credential given inline', { credential: 'sk-inline-secret' }, 'credential'],
    ['a credential given as a value', { credential: { value: 'sk-inline-secret' } }, 'credential'],
    ['a field the file does not have', { api_key: 'sk-inline-secret' }, 'api_key'],
    ['a timeout out of range', { timeouts: { connect_ms: 0 } }, 'timeouts.connect_ms'],
    ['another name in the body', { name: 'other' }, 'name'],
  ])('refuses %s, naming the field and never the value', (_what, change, path) => {
    const parsed = parseUpstream('u1', { ...upstream, ...change });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.path)).toEqual([path]);
    expect(JSON.stringify(parsed.problems)).not.toContain('sk-inline-secret');
  });

  it('needs the api_version of an azure-openai upstream, as the file does', () => {
    const parsed = parseUpstream('az', { ...upstream, format: 'azure-openai' });
    expect(parsed).toEqual({
      ok: false,
      problems: [{ path: 'api_version', message: expect.stringContaining('azure-openai') }],
    });
  });
});

describe('parseRoute', () => {
  it('takes the model from the path', () => {
    expect(parseRoute('llama3.2:1b', { targets: [{ upstream: 'ollama', weight: 2 }] })).toEqual({
      ok: true,
      spec: { model: 'llama3.2:1b', targets: [{ upstream: 'ollama', weight: 2 }] },
    });
  });

  it.each([
    ['no targets', { targets: [] }, 'targets'],
    ['a negative weight', { targets: [{ upstream: 'a', weight: -1 }] }, 'targets.0.weight'],
    [
      'a target field the file does not have',
      { targets: [{ upstream: 'a', x: 1 }] },
      'targets.0.x',
    ],
  ])('refuses %s, naming the field', (_what, body, path) => {
    const parsed = parseRoute('m', body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.path)).toEqual([path]);
  });
});

describe('canonicalJson', () => {
  it('is the same for equal specs written in another key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"e":3,"f":2}]},"b":1}',
    );
  });

  it('reads back what it wrote, through the same schema', () => {
    const parsed = parseUpstream('u', upstream);
    if (!parsed.ok) throw new Error('expected a valid upstream');
    expect(readSpec('upstream', canonicalJson(parsed.spec))).toEqual(parsed.spec);
    expect(() => readSpec('upstream', '{"name":"u"}')).toThrow();
  });
});
