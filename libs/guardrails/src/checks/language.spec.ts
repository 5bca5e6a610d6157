import { checkSchema, type LanguageCheck } from '../rule-schema';
import { checkInput } from './check';
import { compileLanguage, detectableLanguages, proseSample } from './language';

function compile(check: Omit<LanguageCheck, 'type'>) {
  const problems: string[] = [];
  const compiled = compileLanguage(
    { type: 'language', ...check },
    { path: 'rules[0].check', stage: 'input', problems, depth: 0 },
  );
  return { compiled, problems };
}

function language(check: Omit<LanguageCheck, 'type'>) {
  const { compiled, problems } = compile(check);
  if (compiled === null) throw new Error(problems.join('\n'));
  return (...texts: string[]) =>
    compiled.run(checkInput(texts.map((text, i) => ({ name: `messages[${i}]`, text }))), false)
      ?.detail ?? null;
}

const EN =
  'Could you help me write an email to my manager explaining that I will be late tomorrow ' +
  'because my train was cancelled? Please keep it short and polite.';
const FR =
  "Pourriez-vous m'aider à écrire un courriel à mon responsable pour lui expliquer que je " +
  'serai en retard demain parce que mon train a été annulé ?';
const DE =
  'Kannst du mir helfen, eine E-Mail an meinen Vorgesetzten zu schreiben, in der ich erkläre, ' +
  'dass ich morgen zu spät komme, weil mein Zug ausgefallen ist?';
const UK =
  'Чи можеш ти допомогти мені написати листа моєму керівнику про те, що я завтра запізнюся, ' +
  'бо мій потяг скасували?';

describe('language', () => {
  it('passes text in an allowed language and names the language of any other', () => {
    const englishOnly = language({ allow: ['en'] });
    expect(englishOnly(EN)).toBeNull();
    expect(englishOnly(FR)).toMatch(
      /^language fr \(confidence [01]\.\d\d\) in messages\[0\], not in allow \[en\]$/,
    );
    expect(language({ allow: ['en', 'de'] })(DE)).toBeNull();
  });

  it('tells close languages apart where the light build could not (Ukrainian is not Russian)', () => {
    expect(language({ allow: ['uk'] })(UK)).toBeNull();
    expect(language({ allow: ['ru'] })(UK)).toMatch(/^language uk /);
  });

  it('judges each segment and names the first one out of bounds', () => {
    expect(language({ allow: ['en'] })(EN, FR)).toMatch(/ in messages\[1\], /);
  });

  it('does not judge a text with fewer letters than min_chars', () => {
    const englishOnly = language({ allow: ['en'] });
    expect(englishOnly('Merci beaucoup, à demain !')).toBeNull();
    expect(language({ allow: ['en'], min_chars: 10 })('Merci beaucoup, à demain !')).not.toBeNull();
  });

  it('does not judge names, numbers and code alone', () => {
    const englishOnly = language({ allow: ['en'] });
    expect(
      englishOnly('João Gonçalves, Zürich 8004, Łódź, 4111 1111 1111 1111, 2024-05-01'),
    ).toBeNull();
    expect(englishOnly('```python\nfor i in range(10):\n    print(i)\n```')).toBeNull();
  });

  it('reads mostly-English text with a quotation in French as English', () => {
    const mixed = `My colleague wrote « le train a été annulé » in the chat. ${EN}`;
    expect(language({ allow: ['en'] })(mixed)).toBeNull();
    expect(language({ allow: ['fr'] })(mixed)).toMatch(/^language en /);
  });

  it('judges the prose around code, not the code (an English code block in a French message)', () => {
    const code =
      '```js\n// Send the reminder email to every customer\nfor (const c of customers) send(c);\n```';
    const text = `${FR}\n\n${code}\n\nEt voici \`sendReminder()\`, voir https://docs.example.com/en/reminders`;
    expect(language({ allow: ['fr'] })(text)).toBeNull();
    expect(language({ allow: ['en'] })(text)).toMatch(/^language fr /);
  });

  it('judges only the first max_chars of prose (a documented limit of the sampling)', () => {
    const text = `${EN} ${FR} ${FR} ${FR}`;
    expect(language({ allow: ['en'] })(text)).toBeNull();
    expect(language({ allow: ['en'], max_chars: 2_000 })(text)).toMatch(/^language fr /);
  });

  it('does not trust a verdict below min_confidence', () => {
    // tinyld reads this as English with confidence ~0.6: each quoted word counts against it.
    const mixed =
      'Please translate this for me: « Le chat est sur la table et le chien dort dans le ' +
      'jardin. » I need it for my homework tomorrow.';
    expect(language({ allow: ['de'] })(mixed)).toMatch(/^language en \(confidence 0\.[5-7]\d\)/);
    expect(language({ allow: ['de'], min_confidence: 0.9 })(mixed)).toBeNull();
  });

  it('refuses codes tinyld cannot detect and codes that are not ISO 639-1', () => {
    expect(compile({ allow: ['en', 'xx'] }).problems[0]).toMatch(
      /^rules\[0\]\.check\.allow\[1\]: is not a language tinyld detects \(.*\ben\b.*\)$/,
    );
    expect(checkSchema.safeParse({ type: 'language', allow: ['EN'] }).success).toBe(false);
    expect(checkSchema.safeParse({ type: 'language', allow: ['eng'] }).success).toBe(false);
    expect(checkSchema.safeParse({ type: 'language', allow: [] }).success).toBe(false);
    expect(
      checkSchema.safeParse({ type: 'language', allow: ['en'], min_chars: 300 }).error?.issues[0]
        ?.message,
    ).toBe('is more than max_chars (160), so no text would be judged');
  });

  it('detects the common languages of the gateway’s users', () => {
    const known = detectableLanguages();
    for (const code of [
      'en',
      'de',
      'fr',
      'es',
      'it',
      'pt',
      'nl',
      'pl',
      'uk',
      'ru',
      'ja',
      'zh',
      'ko',
      'ar',
      'hi',
      'tr',
      'vi',
    ])
      expect(known.has(code)).toBe(true);
  });
});

describe('proseSample', () => {
  it('leaves out fenced and inline code and links', () => {
    const text = 'Voir ```\nconst x = 1;\n``` et `npm test`, https://x.example/a?b=c ici.';
    expect(proseSample(text, 200).replace(/\s+/g, ' ')).toBe('Voir et , ici.');
  });

  it('reads past a long code block at the start to the prose after it', () => {
    const code = `\`\`\`\n${'x = 1;\n'.repeat(500)}\`\`\``;
    expect(proseSample(`${code}\nBonjour à tous`, 100).trim()).toBe('Bonjour à tous');
  });

  it('treats an unclosed fence as code to the end', () => {
    expect(proseSample('Bonjour ```js\nconst a = 1;\nconst b = 2;', 200).trim()).toBe('Bonjour');
  });

  it('cuts at a word end within max characters', () => {
    const sample = proseSample(EN, 50);
    expect(sample.length).toBeLessThanOrEqual(50);
    expect(EN.startsWith(sample)).toBe(true);
    expect(EN[sample.length]).toBe(' ');
  });
});
