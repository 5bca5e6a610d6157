// Benchmark corpora, deterministic (fixed faker seed).
// - typical: prompts as an LLM gateway sees them: prose questions, code, JSON, logs; about
//   one prompt in five carries a piece of PII and one in forty a secret.
// - dense: the labelled evaluation set, where nearly every line holds an entity.
import { readFileSync } from 'node:fs';
import { faker } from '@faker-js/faker';

const pick = (xs) => faker.helpers.arrayElement(xs);
const num = (a, b) => faker.number.int({ min: a, max: b });

const paragraph = () =>
  Array.from({ length: num(2, 6) }, () =>
    pick([
      () => faker.hacker.phrase(),
      () => faker.company.catchPhrase() + '.',
      () => faker.commerce.productDescription(),
      () => faker.lorem.sentence(),
      () =>
        `Please explain why the ${faker.hacker.noun()} ${faker.hacker.verb()}s when the ${faker.hacker.adjective()} ${faker.hacker.noun()} is ${faker.word.adjective()}.`,
      () =>
        `In ${num(1990, 2025)}, ${faker.company.name()} reported ${num(2, 90)}% growth across ${num(2, 40)} regions.`,
    ])(),
  ).join(' ');

const code = () =>
  pick([
    () =>
      `\`\`\`ts\nexport function ${faker.hacker.verb()}${faker.hacker.noun().replace(/\W/g, '')}(items: Item[]): number {\n  let total = 0;\n  for (let i = 0; i < items.length; i++) {\n    total += items[i].price * ${num(2, 9)};\n  }\n  return Math.round(total * 100) / 100;\n}\n\`\`\``,
    () =>
      `\`\`\`python\nimport pandas as pd\ndf = pd.read_csv("${faker.system.fileName()}")\nprint(df.groupby("${faker.database.column()}").agg({"${faker.database.column()}": "sum"}).head(${num(5, 50)}))\n\`\`\``,
    () =>
      `\`\`\`sql\nSELECT u.id, count(o.id) FROM users u JOIN orders o ON o.user_id = u.id WHERE o.created_at > '${faker.date.recent().toISOString().slice(0, 10)}' GROUP BY u.id LIMIT ${num(10, 500)};\n\`\`\``,
    () =>
      JSON.stringify(
        {
          model: 'gpt-4o',
          temperature: num(0, 10) / 10,
          max_tokens: num(256, 4096),
          request_id: faker.string.uuid(),
          version: faker.system.semver(),
        },
        null,
        2,
      ),
    () =>
      Array.from(
        { length: num(3, 12) },
        () =>
          `${faker.date.recent().toISOString()} ${pick(['INFO', 'WARN', 'ERROR'])} ${faker.hacker.phrase()} (${faker.string.uuid()})`,
      ).join('\n'),
  ])();

const pii = () =>
  pick([
    () => `You can reach me at ${faker.internet.email()}.`,
    () => `My number is ${faker.phone.number({ style: 'international' })}.`,
    () => `Best regards,\n${faker.person.fullName()}`,
    () => `Ship it to ${faker.location.streetAddress()}, ${faker.location.city()}.`,
  ])();
const secret = () =>
  pick([
    () => `OPENAI_API_KEY=sk-proj-${faker.string.alphanumeric(120)}`,
    () => `password: ${faker.internet.password()}`,
    () => `AKIA${faker.string.alphanumeric({ length: 16, casing: 'upper' })}`,
  ])();

/** About `bytes` of typical prompts, each 0.3-6 KB. */
export function typicalPrompts(bytes) {
  faker.seed(8128);
  const prompts = [];
  let size = 0;
  while (size < bytes) {
    const parts = Array.from({ length: num(1, 6) }, () =>
      faker.datatype.boolean({ probability: 0.7 }) ? paragraph() : code(),
    );
    if (faker.datatype.boolean({ probability: 0.2 })) parts.splice(num(0, parts.length), 0, pii());
    if (faker.datatype.boolean({ probability: 0.025 })) parts.push(secret());
    const p = parts.join('\n\n');
    prompts.push(p);
    size += Buffer.byteLength(p);
  }
  return prompts;
}

/** The evaluation set's texts and labels. */
export function denseRecords(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
