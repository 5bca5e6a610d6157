// Values that stand for a secret in docs and templates rather than being one.
const PLACEHOLDER_WORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'token',
  'changeme',
  'example',
  'redacted',
  'null',
  'none',
  'undefined',
  'true',
  'false',
  'xxx',
  'todo',
  'your_password',
  'yourpassword',
  'your-token',
  'your_token',
  'your_api_key',
  'your-api-key',
  'apikey',
  'api_key',
  'mypassword',
]);

/** `****`, `<password>`, `${TOKEN}`, `{{ secret }}`, `$API_KEY`, `process.env.X`, `xxxx`... */
export function isPlaceholder(value: string): boolean {
  const v = value.toLowerCase();
  if (PLACEHOLDER_WORDS.has(v)) return true;
  if (/^[*x.#•-]+$/.test(v) || /^(.)\1+$/.test(v)) return true;
  if (/^[<[{$%]/.test(v) || v.endsWith('>') || v.endsWith('}')) return true;
  if (/(?:^|[._-])(?:your|my|example|placeholder|dummy|sample|fake)(?:[._-]|$)/.test(v))
    return true;
  // A code reference (`process.env.API_KEY`, `config.auth.token`, `os.environ`) not a literal.
  return /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+$/.test(v) && !/\d/.test(v);
}
