import { PiiEngine } from '@llmops/pii';
import { checkSchema, type PiiCheck } from '../rule-schema';
import { checkInput } from './check';
import { compilePii, scanVisible } from './pii';

function pii(params: Omit<PiiCheck, 'type'> = {}) {
  const check = compilePii({ type: 'pii', ...params });
  return (texts: string[], wantSpans = false) =>
    check.run(checkInput(texts.map((text, i) => ({ name: `messages[${i}]`, text }))), wantSpans);
}

const EMAIL = 'bob@example.com';
const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';

describe('pii', () => {
  it('finds PII and secrets, naming their types and counts but never a value', () => {
    const v = pii()([`Hi, I am ${EMAIL}`, `key ${AWS_KEY}, or ${EMAIL}, or ann@example.org`]);
    expect(v?.detail).toBe('pii found: AWS_ACCESS_KEY ×1, EMAIL ×3 (first in messages[0])');
    expect(v?.detail).not.toContain('example');
  });

  it('passes text without any', () => {
    expect(pii()(['The meeting is at 10:30 in room 4, version 1.2.3.4 of the deck.'])).toBeNull();
  });

  it('locates every finding, so a redact rule can replace each value', () => {
    const text = `mail ${EMAIL} with key ${AWS_KEY}`;
    const spans = pii()([text], true)?.spans ?? [];
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual([EMAIL, AWS_KEY]);
  });

  it('counts only the listed types', () => {
    const emails = pii({ types: ['EMAIL'] });
    expect(emails([`key ${AWS_KEY}`])).toBeNull();
    expect(emails([`mail ${EMAIL}`])?.detail).toBe('pii found: EMAIL ×1 (first in messages[0])');
  });

  it('with secrets_only, counts credentials and keys but not personal data', () => {
    const secrets = pii({ secrets_only: true });
    expect(secrets([`mail ${EMAIL}, call +1 415 555 2671`])).toBeNull();
    expect(secrets([`token ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8`])?.detail).toBe(
      'pii found: GITHUB_TOKEN ×1 (first in messages[0])',
    );
  });

  it('with secrets_only and types, counts the secrets among the types', () => {
    const awsOnly = pii({ secrets_only: true, types: ['AWS_ACCESS_KEY', 'EMAIL'] });
    expect(awsOnly([`mail ${EMAIL}`])).toBeNull();
    expect(awsOnly([`key ${AWS_KEY}`])).not.toBeNull();
  });

  it('drops findings under min_confidence', () => {
    // A name after a title scores 0.75; a name after "my name is" 0.8.
    expect(pii({ types: ['PERSON'] })(['Dear Mrs. Smith, thank you'])).not.toBeNull();
    expect(
      pii({ types: ['PERSON'], min_confidence: 0.9 })(['Dear Mrs. Smith, thank you']),
    ).toBeNull();
  });

  it('sees values split by zero-width characters, and redacts them with those characters', () => {
    const split = 'bob@exa\u200Bmple.com';
    const key = 'AKIA\u2060IOSFODNN7\u200DEXAMPLE';
    const text = `\uFEFFmail ${split} key ${key}`;
    const spans = pii()([text], true)?.spans ?? [];
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual([split, key]);
  });

  it('maps offsets back across invisible characters before, inside and after a value', () => {
    const engine = new PiiEngine({ enabled: ['EMAIL'] });
    const text = '\u200B\u200B x \u00AD bob@\u200Bexample.com\u200B\u200B done';
    const [f] = scanVisible(engine, text);
    expect(f && text.slice(f.start, f.end)).toBe('bob@\u200Bexample.com');
    expect(scanVisible(engine, `${EMAIL}`)).toEqual(engine.scan(EMAIL));
  });

  it('does not undo other disguises: fullwidth characters are not read as the value', () => {
    // Documented limit: the PII engine reads ASCII shapes.
    expect(pii({ types: ['EMAIL'] })(['ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ'])).toBeNull();
  });

  it('is validated strictly: unknown types, a confidence above 1 and secrets_only with no secret type are refused', () => {
    expect(checkSchema.safeParse({ type: 'pii', types: ['EMAIL_ADDRESS'] }).success).toBe(false);
    expect(checkSchema.safeParse({ type: 'pii', min_confidence: 1.5 }).success).toBe(false);
    expect(checkSchema.safeParse({ type: 'pii', typo: true }).success).toBe(false);
    const noSecret = checkSchema.safeParse({ type: 'pii', types: ['EMAIL'], secrets_only: true });
    expect(noSecret.error?.issues[0]?.message).toBe(
      'holds no secret type, so with secrets_only nothing would count',
    );
  });
});
