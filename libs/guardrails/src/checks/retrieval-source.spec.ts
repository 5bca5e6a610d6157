import type { GuardrailStage } from '@llmops/contracts';
import { checkSchema, type RetrievalSourceCheck } from '../rule-schema';
import { checkInput } from './check';
import { compileRetrievalSource } from './retrieval-source';

function compile(check: Omit<RetrievalSourceCheck, 'type'>, stage: GuardrailStage = 'retrieval') {
  const problems: string[] = [];
  const compiled = compileRetrievalSource(
    { type: 'retrieval_source', ...check },
    { path: 'rules[0].check', stage, problems, depth: 0 },
  );
  return { compiled, problems };
}

function sources(check: Omit<RetrievalSourceCheck, 'type'>) {
  const { compiled, problems } = compile(check);
  if (compiled === null) throw new Error(problems.join('\n'));
  return (source: string | undefined) => {
    const segments = [{ name: 'text', text: 'the document' }];
    const item = {
      stage: 'retrieval' as const,
      text: 'the document',
      source,
      context: { tenant: 'acme' },
    };
    return compiled.run(checkInput(segments, undefined, undefined, item), false)?.detail ?? null;
  };
}

describe('retrieval_source', () => {
  const check = sources({
    allow: ['wiki.acme.example', 's3://acme-docs/public/', 'kb://hr'],
    deny: ['secret.wiki.acme.example', 'kb://hr/salaries/'],
  });

  it('allows the listed domains with their subdomains, and the listed URI prefixes', () => {
    for (const source of [
      'https://wiki.acme.example/page/1',
      'http://eu.wiki.acme.example/x?y=1',
      'https://WIKI.Acme.Example./x',
      's3://acme-docs/public/guide.pdf',
      'kb://hr',
      'kb://hr/handbook#leave',
    ])
      expect([source, check(source)]).toEqual([source, null]);
  });

  it('flags what is off the allow list, naming only its scheme and last host labels', () => {
    expect(check('https://c4n4ry.attacker.example/doc')).toBe(
      'source https://*.attacker.example is not in allow',
    );
    expect(check('s3://acme-docs/private/c4n4ry.pdf')).toBe('source (s3:) is not in allow');
    expect(check('doc-c4n4ry-123')).toBe('source (not a URI) is not in allow');
    expect(check('kb://hr-c4n4ry/x')).toBe('source (kb:) is not in allow');
    expect(check('ftp://wiki.acme.example/x')).toBe('source (ftp:) is not in allow');
  });

  it('lets deny win over allow, naming the entry', () => {
    expect(check('https://secret.wiki.acme.example/x')).toBe(
      'source denied by deny[0] (secret.wiki.acme.example)',
    );
    expect(check('kb://hr/salaries/2024.xlsx')).toBe(
      'source denied by deny[1] (kb://hr/salaries/)',
    );
  });

  it('compares normalised URIs, so dot segments, encodings and userinfo do not get around it', () => {
    expect(check('s3://acme-docs/public/../private/x')).toBe('source (s3:) is not in allow');
    expect(check('s3://acme-docs/public/%2e%2e/private/x')).toBe('source (s3:) is not in allow');
    expect(check('kb://hr/./salaries/../salaries/2024')).toMatch(/^source denied by deny\[1\]/);
    expect(check('https://wiki.acme.example@evil.example/x')).toBe(
      'source https://evil.example is not in allow',
    );
    expect(check('https://wiki.acme.example.evil.example/')).toMatch(/not in allow$/);
    expect(check('https://xn--wiki-acme-example.evil/')).toMatch(/not in allow$/);
  });

  it('violates without a source when allow is set, and passes one with a deny list only', () => {
    expect(check(undefined)).toBe('the item has no source, and allow is set');
    const denyOnly = sources({ deny: ['pastebin.com', 'kb://finance/'] });
    expect(denyOnly(undefined)).toBeNull();
    expect(denyOnly('doc-123')).toBeNull();
    expect(denyOnly('https://pastebin.com/raw/x')).toBe('source denied by deny[0] (pastebin.com)');
    expect(denyOnly('kb://finance/q3')).toMatch(/deny\[1\]/);
    expect(denyOnly('kb://finance-public/q3')).toBeNull();
  });

  it('refuses entries that are neither a domain nor a URI prefix, and other stages', () => {
    expect(
      compile({ allow: ['acme.example/docs', 'https://', 'ok.example', '*'] }).problems,
    ).toEqual([
      'rules[0].check.allow[0]: must be a domain name (acme.example) or a URI prefix (scheme://…)',
      'rules[0].check.allow[1]: must be a domain name (acme.example) or a URI prefix (scheme://…)',
      'rules[0].check.allow[3]: must be a domain name (acme.example) or a URI prefix (scheme://…)',
    ]);
    expect(compile({ deny: ['x.example'] }, 'input').problems).toEqual([
      'rules[0].check: retrieval_source applies only to rules of stage retrieval',
    ]);
    expect(
      checkSchema.safeParse({ type: 'retrieval_source' }).error?.issues.map((i) => i.message),
    ).toEqual(['needs allow, deny or both']);
  });
});
