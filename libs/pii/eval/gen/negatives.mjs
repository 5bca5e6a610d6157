// Hard negatives (look like PII, are not) and filler prose, code and logs.
import { faker } from '@faker-js/faker';
import * as V from './values.mjs';

const { pick, num, digits } = V;
const t = (strings, ...vals) => strings.flatMap((s, i) => (i < vals.length ? [s, vals[i]] : [s]));
const sha256 = () => faker.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' });

/** Grouped by the entity they imitate, so the report can say which family they stress. */
export const NEGATIVE = {
  order_numbers: [
    () => t`Order #${digits(num(8, 12))} has shipped.`,
    () => t`order ${digits(16)} was refunded`,
    () => t`Invoice INV-${digits(6)} is overdue; PO ${digits(10)}.`,
    () => t`Tracking number: 1Z${faker.string.alphanumeric({ length: 16, casing: 'upper' })}`,
    () => t`ticket ${digits(9)} reopened`,
    () => t`Reference ${digits(3)}-${digits(2)}-${digits(4)} for the order.`,
  ],
  uuids: [
    () => t`request_id=${faker.string.uuid()} status=500`,
    () => t`{"id": "${faker.string.uuid()}", "parent": "${faker.string.uuid()}"}`,
  ],
  versions: [
    () => t`Upgraded from v${faker.system.semver()} to ${faker.system.semver()}.`,
    () => t`Chrome/${num(100, 130)}.0.${num(1000, 6999)}.${num(10, 200)} Safari/537.36`,
    () => t`Windows 10.0.${num(10000, 22999)}.${num(100, 4000)}`,
    () => t`version ${num(1, 9)}.${num(0, 9)}.${num(0, 20)}.${num(0, 99)} release notes`,
    () => t`"lodash": "^4.17.${num(10, 21)}", "@types/node": "^20.${num(1, 19)}.0"`,
  ],
  timestamps: [
    () => t`${faker.date.recent().toISOString()} INFO worker started`,
    () => t`ts=${num(1.5e9, 1.8e9)} epoch_ms=${num(1.5e12, 1.8e12)}`,
    () => t`Meeting moved to ${V.plainDate()} at ${num(10, 17)}:${pick(['00', '30'])}.`,
    () => t`Released on ${V.plainDate()}, build ${digits(10)}.`,
  ],
  hex_hashes: [
    () => t`commit ${faker.git.commitSha()}`,
    () => t`sha256: ${sha256()}`,
    () => t`etag "${faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' })}"`,
  ],
  luhn_failing_cards: [
    () => t`card ${V.cardLuhnFail()} was rejected by the form validator`,
    () => t`${V.cardLuhnFail()}`,
  ],
  phone_like_math: [
    () => t`What is ${digits(10)} * ${num(2, 9)}?`,
    () => t`Compute ${num(200, 999)}-${num(200, 999)}-${digits(4)} minus ${num(2, 99)}.`,
    () => t`x = ${num(2, 9)}${digits(9)} / ${num(2, 9)}`,
    () => t`The sum ${num(100, 999)} + ${num(100, 999)} + ${digits(4)} = ${num(1000, 9999)}`,
    () => t`(${num(200, 999)}) * ${num(200, 999)} - ${digits(4)} = ?`,
    () => t`${num(200, 999)} ${num(200, 999)} ${digits(4)} + 1`,
  ],
  invalid_ids: [
    () => t`SSN field test value ${V.ssnInvalid()}`,
    () => t`IBAN ${V.ibanBadChecksum()} failed validation`,
  ],
  keyword_prose: [
    () => t`The password must contain at least ${num(8, 16)} characters.`,
    () => t`max_tokens=${num(256, 8192)}, temperature=0.${num(1, 9)}`,
    () => t`token_type: bearer, expires_in: ${num(600, 86400)}`,
    () => t`api_key: \${API_KEY}`,
    () => t`password: ********`,
    () => t`secret: <your-secret-here>`,
    () => t`Set OPENAI_API_KEY in your .env file before running.`,
    () => t`const token = process.env.GITHUB_TOKEN;`,
    () => t`The key insight is that tokens per minute matter more than requests.`,
    () => t`password_hash = "$2b$12$${faker.string.alphanumeric(53)}"`,
    () => t`pip install scikit-learn (sk-learn) and numpy`,
    () => t`secret_name: prod-db-credentials`,
  ],
  email_like: [
    () => t`npm i lodash@4.17.${num(10, 21)} @types/node`,
    () => t`use logo@2x.png on retina screens`,
    () => t`ssh to admin@localhost first`,
    () => t`Follow @${faker.internet.username()} for updates.`,
    () => t`@Injectable() export class ${faker.word.noun()}Service {}`,
  ],
  network_like: [
    () => t`Ratio ${num(1, 21)}:${num(1, 9)} and time ${num(10, 23)}:${num(10, 59)}:${num(10, 59)}`,
    () => t`std::vector<int> v; auto it = v.begin();`,
    () => t`The section 4.2.1.3 explains it.`,
  ],
  date_without_cue: [
    () => t`The invoice is dated ${V.birthDate()}.`,
    () => t`Deadline: ${V.plainDate()}`,
  ],
  name_like: [
    () => t`Dear valued customer, thanks for reaching out.`,
    () => t`Name: N/A`,
    () => t`Thanks,\nthe team`,
    () => t`Dear Customer,\nyour order is on its way.`,
    () => t`Dear Sir or Madam,`,
    () => t`Name: String (required)`,
    () => t`I am Ready to start.`,
    () => t`Best regards,\nThe Support Team`,
    () => t`Mr. Robot is a TV series.`,
    () => t`a class named UserService`,
  ],
  address_like: [
    () => t`Chapter 7 Park Avenue Revisited is my favourite.`,
    () => t`We tested 12 Oak Lane builds overnight.`,
    () => t`Windows 11 Pro and iPhone 15 Pro Max`,
    () => t`Top 10 Hill Stations in India`,
    () => t`We fixed 3 Main Issues in the release.`,
  ],
};

const CODE = [
  () => `for (let i = 0; i < ${num(2, 500)}; i++) { total += items[i].price * ${num(2, 9)}; }`,
  () => `SELECT id, created_at FROM orders WHERE id = ${num(1, 99999)} LIMIT ${num(1, 100)};`,
  () =>
    `    at Object.<anonymous> (/app/src/${faker.system.fileName()}:${num(1, 400)}:${num(1, 80)})`,
  () =>
    `{"model": "gpt-4o", "temperature": 0.${num(0, 9)}, "messages": [{"role": "user", "content": "${faker.hacker.phrase()}"}]}`,
  () =>
    `def ${faker.hacker.verb()}_${faker.hacker.noun()}(x): return x ** ${num(2, 5)} + ${num(1, 99)}`,
  () =>
    `docker run -p ${num(3000, 9000)}:${num(80, 8080)} -e NODE_ENV=production app:${faker.system.semver()}`,
  () => `git checkout -b fix/${faker.hacker.noun()}-${num(1, 999)}`,
];
const PROSE = [
  () => faker.hacker.phrase(),
  () => faker.company.catchPhrase() + '.',
  () => faker.commerce.productDescription(),
  () => `Can you summarise this in ${num(3, 10)} bullet points?`,
  () =>
    `Translate the following paragraph into ${pick(['French', 'German', 'Spanish', 'Japanese'])}.`,
  () =>
    `We grew revenue ${num(2, 40)}% in Q${num(1, 4)} ${num(2019, 2025)} across ${num(3, 90)} markets.`,
  () =>
    `Write a ${num(100, 900)}-word essay about ${faker.word.noun()}s and ${faker.word.noun()}s.`,
];
export const filler = () => pick(faker.datatype.boolean({ probability: 0.35 }) ? CODE : PROSE)();

export const SCRIPTS = [
  '😀 ',
  '🚀🚀 ',
  '👩🏽‍💻 ',
  '你好，请帮我看一下：',
  'Привет! Проверь это: ',
  'مرحبا، ',
  'こんにちは。',
  '𝒜𝓈𝓉𝓇𝒶𝓁 ',
  'Ünïcödé ñ — ',
];
