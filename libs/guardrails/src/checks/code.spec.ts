import { checkSchema, type CodeCheck } from '../rule-schema';
import { checkInput } from './check';
import { compileCode } from './code';
import { findCode } from './code-detect';
import { SIGNALS } from './code-signals';

function code(check: Omit<CodeCheck, 'type'>) {
  const compiled = compileCode({ type: 'code', ...check });
  return (text: string, wantSpans = false) =>
    compiled.run(checkInput([{ name: 'text', text }]), wantSpans);
}

const absent = code({ must: 'absent' });
const found = (text: string) => absent(text)?.detail ?? null;

/** The languages of each block found, in order. */
function languages(text: string): string[][] {
  return findCode(text).map((b) => [...b.languages].sort());
}

const PROSE: Record<string, string> = {
  'a sentence with one semicolon': 'I went to the store; it was closed, so I went home again.',
  'lines that end with semicolons':
    'The sun goes down;\nThe moon comes up;\nThe stars are out;\nAnd we are home;',
  'a contract clause':
    'The parties agree as follows; the term shall be one year;\nthe fee shall be paid monthly;',
  'an e-mail':
    'Hi Bob,\n\nCan we meet at 10:30 tomorrow? I have questions (Q3 budget).\n\nBest,\nAlice',
  'a numbered list': '1. Open the settings.\n2. Choose "Advanced".\n3. Set the value to 10.',
  'a shopping list': '- Buy milk (2 liters)\n- Call mom at 5pm\n- e.g. the total = 42',
  arithmetic: 'If x = 3 and y = 4 then x + y = 7.',
  'prose about code':
    'Use the `map()` function; it returns a new array.\nCall it on the list and keep the result.',
  'a chat message': 'sure! what do you think about the new design? i think it looks great :)',
  'a fenced block of plain text': '```text\nHello world. This is what the program printed.\n```',
  'a recipe': 'Ingredients: flour; sugar; eggs.\nMix well (about 2 minutes) and bake.',
  'a sentence that mentions select and from': 'Please select the best option from the list below.',
};

describe('code: what is not code', () => {
  it.each(Object.entries(PROSE))('passes %s', (_, text) => {
    expect(found(text)).toBeNull();
  });
});

describe('code: fenced blocks', () => {
  it('finds a fenced block, naming its language from the fence', () => {
    expect(found('Example:\n```py\nx = 1\n```\nDone.')).toBe('fenced code (python) found in text');
    expect(found('~~~bash\nls\n~~~')).toBe('fenced code (shell) found in text');
  });

  it('locates the block with its fences', () => {
    const text = 'Before.\n```js\nlet a = 1;\n```\nAfter.';
    const [span] = absent(text, true)?.spans ?? [];
    expect(span && text.slice(span.start, span.end)).toBe('```js\nlet a = 1;\n```');
  });

  it('runs an unclosed fence to the end of the text', () => {
    const text = 'Here:\n```\nSELECT * FROM users\nstill inside';
    const [span] = absent(text, true)?.spans ?? [];
    expect(span && text.slice(span.start)).toBe('```\nSELECT * FROM users\nstill inside');
  });

  it('does not take inline triple backticks for a fence', () => {
    expect(findCode('Type ```ls``` in the box, then press Enter to see the files.')).toEqual([]);
  });

  it('tells the language of a fence without a name by its lines', () => {
    expect(languages('```\ndef add(a, b):\n    return a + b\n```')).toEqual([['python']]);
  });

  it('closes a fence only with the same character, at least as many times', () => {
    const text = '````md\n```js\nnot the end\n```\n````\nafter';
    expect(findCode(text)).toHaveLength(0); // a Markdown fence holding a fence is prose
    const nested = '````\ncode\n```\nstill code\n````';
    expect(findCode(nested).map((b) => b.end)).toEqual([nested.length]);
  });
});

describe('code: unfenced code', () => {
  it.each<[string, string, string[]]>([
    ['Python', 'Here you go:\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))', ['python']],
    [
      'JavaScript',
      'const total = items.reduce((a, b) => a + b, 0);\nconsole.log(total);',
      ['javascript'],
    ],
    [
      'SQL in a sentence',
      'Run SELECT id, name FROM users WHERE active = 1; to list them.',
      ['sql'],
    ],
    ['lower-case SQL', 'just select * from users where id = 1 and see', ['sql']],
    ['a shell session', 'Install it:\n$ npm install --save tinyld\nthen run it.', ['shell']],
    ['an HTML tag', 'Add <script src="https://x.example/a.js"></script> to the page.', ['html']],
    [
      'C',
      '#include <stdio.h>\nint main(void) {\n  printf("hi");\n  return 0;\n}',
      ['c', 'csharp', 'java'],
    ],
    ['Go', 'package main\n\nfunc main() {\n\tfmt.Println("hi")\n}', ['go']],
    ['CSS', '.button {\n  color: red;\n  padding: 4px;\n}', ['css']],
    [
      'an indented block',
      'Like this:\n\n    for i in range(10):\n        total += i\n',
      ['python'],
    ],
  ])('finds %s', (_, text, langs) => {
    expect(languages(text)).toEqual([langs]);
  });

  it('finds code whose keywords are split by zero-width characters', () => {
    expect(found('SEL\u200BECT * FR\u200BOM users WHERE id = 1')).toBe(
      'unfenced code (sql) found in text',
    );
  });

  it('locates unfenced code by its lines, leaving the prose around it', () => {
    const text = 'Try this.\nimport os\nprint(os.getcwd())\nIt prints the folder you are in.';
    const [span] = absent(text, true)?.spans ?? [];
    expect(span && text.slice(span.start, span.end)).toBe('import os\nprint(os.getcwd())');
  });

  it('finds code between sentences, in each segment, and names the first segment', () => {
    const compiled = compileCode({ type: 'code', must: 'absent' });
    const v = compiled.run(
      checkInput([
        { name: 'messages[0]', text: 'Hello there.' },
        { name: 'messages[1]', text: 'Sure:\n$ sudo rm -rf /var/lib/app\nDone.' },
      ]),
      false,
    );
    expect(v?.detail).toBe('unfenced code (shell) found in messages[1]');
  });
});

describe('code: must and languages', () => {
  it('must: present is violated when no segment holds code', () => {
    const present = code({ must: 'present' });
    expect(present('```py\nx = 1\n```')).toBeNull();
    expect(present('Just words here.')?.detail).toBe('no code found');
  });

  it('with languages, counts only code in them', () => {
    const noSql = code({ must: 'absent', languages: ['sql', 'shell'] });
    expect(noSql('```python\nx = 1\n```')).toBeNull();
    expect(noSql('```postgres\nDROP TABLE users;\n```')?.detail).toBe(
      'fenced code (sql) found in text',
    );
    expect(noSql('then DELETE FROM users WHERE 1 = 1')?.detail).toBe(
      'unfenced code (sql) found in text',
    );
    expect(code({ must: 'present', languages: ['python'] })('```js\nf();\n```')?.detail).toBe(
      'no code in python found',
    );
  });

  it('counts a block of unknown language only for a rule without languages', () => {
    const text = '```haskell\nmain = putStrLn "hi"\n```';
    expect(found(text)).toBe('fenced code found in text');
    expect(code({ must: 'absent', languages: ['python'] })(text)).toBeNull();
  });

  it('is validated strictly', () => {
    expect(checkSchema.safeParse({ type: 'code', must: 'absent', languages: ['py'] }).success).toBe(
      false,
    );
    expect(checkSchema.safeParse({ type: 'code', must: 'sometimes' }).success).toBe(false);
    expect(checkSchema.safeParse({ type: 'code' }).success).toBe(false);
  });
});

describe('code: the signal patterns', () => {
  it('repeat only a bounded number of times, so a line costs bounded work', () => {
    for (const { re } of SIGNALS) {
      if (re === undefined) continue;
      // Outside character classes and escapes: no *, + or {n,} quantifier.
      const bare = re.source.replace(/\\./g, '').replace(/\[[^\]]*\]/g, 'x');
      expect({ pattern: re.source, unbounded: /[*+]|\{\d+,\}/.test(bare) }).toEqual({
        pattern: re.source,
        unbounded: false,
      });
    }
  });
});
