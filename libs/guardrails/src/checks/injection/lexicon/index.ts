import type { ComboSignal, ViewSignal } from '../signals';
import { EXTRACTION_EN } from './en-extraction';
import { GENERAL_EN } from './en-general';
import { INDIRECT_EN } from './en-indirect';
import { OVERRIDE_EN } from './en-override';
import { PERSONA_EN } from './en-persona';
import { HARM } from './harm';
import { INTL_LATIN } from './intl-latin';
import { INTL_SCRIPT } from './intl-script';

export { RAW } from './raw';

/** Every signal read on the view. */
export const VIEW_SIGNALS: readonly ViewSignal[] = [
  ...OVERRIDE_EN,
  ...PERSONA_EN,
  ...EXTRACTION_EN,
  ...GENERAL_EN,
  ...INDIRECT_EN,
  ...HARM,
  ...INTL_LATIN,
  ...INTL_SCRIPT,
];

/** Weak signals that are strong together, within one window. */
export const COMBOS: readonly ComboSignal[] = [
  {
    id: 'persona.harmful-roleplay',
    kind: 'persona',
    w: 0.45,
    all: ['persona.harmful-topic', 'persona.framing'],
  },
  {
    id: 'persona.grandma-exploit',
    kind: 'persona',
    w: 0.45,
    all: ['persona.harmful-topic', 'persona.grandma'],
  },
  {
    id: 'persona.harmful-roleplay-detail',
    kind: 'persona',
    w: 0.15,
    all: ['persona.harmful-topic', 'persona.framing', 'persona.in-detail'],
  },
  {
    id: 'persona.harmful-dialogue',
    kind: 'persona',
    w: 0.3,
    all: ['persona.harmful-topic', 'persona.fake-dialogue'],
  },
  {
    id: 'indirect.persistent-upload',
    kind: 'indirect',
    w: 0.35,
    all: ['indirect.persistence', 'indirect.upload-out'],
  },
  {
    id: 'persona.unbound-persona',
    kind: 'persona',
    w: 0.2,
    all: ['persona.framing', 'persona:'],
  },
];

/**
 * Discussion of attacks rather than an attack: a signal near one of these counts less. Attacks
 * rarely name themselves, and when they do ("this is not a prompt injection") the imperative
 * signals around them are strong enough to stay over the threshold.
 */
export const META =
  '(prompt injection*|injection attack*|indirect injection*|jailbreak* (prompt*|attack*|attempt*|technique*|method*|exploit*|dataset*)|jailbreaking (llm*|ai|model*|chatgpt|chatbots|language models)|adversarial (prompt*|suffix*|suffixes|input*|attack*)|red team*|attack (string*|payload*|chain*|vector*|surface|technique*|pattern*)|malicious (prompt*|input*|instruction*|payload*|text)|injected (instruction*|prompt*|text)|phishing awareness|security (review|assessment|research*|training|team|week|briefing)|threat model*|threat intelligence|bug bounty|pentest*|pen test*|penetration test*|owasp|mitre|atlas|false positive*|detector*|classifier*|classify these|defen[cs]e* against|defend* against|protect* against|mitigat*|many shot|exfiltration risk|data exfiltration|example of (an? )?(attack|injection)|dataset* of|awareness training|a known attack|known jailbreak*|the grandma exploit|moderation (system|api|model|layer)|detection rule*|blocklist|denylist|allowlist|be blocked|be flagged)';

/** Words just before a phrase that make it a mention (`such as "…"`), not an instruction. */
export const MENTION =
  '(such as|e g|eg|for example|for instance|the phrase|phrases|the string|strings|the sentence|sentences|the words|saying|says|said|typing|types|typed|wrote|writes|text like|something like|things like|stuff like|a message that|messages like|prompts like|instructions like|attacks like|payloads like|examples? like|examples? of|an example|as an example|called|known as|as in|like this|like these|(a |the )?(message|prompt|input|request|text|string|phrase|sentence|email|comment)s? (like|such as|saying|that says|that said|containing|with))';

/** Someone else's words: `an attacker could type …`. */
/** Instructions given to the writer, not to the model: `my manager told me to …`. */
export const TOLD_ME =
  '(told|asked|instructed|wants|wanted|want|tells|asks|expects|expected|reminded|reminds|advised|ordered) (me|us|him|her|them|everyone|the team|staff|you all) to';

export const REPORTED =
  '((attacker*|hacker*|adversar*|malicious (user*|actor*)|someone|somebody|a user|users|people|scammer*|researcher*|pentester*|the researcher|bad actors)( [^ ]+){0,3}( (could|can|might|may|would|will|often|sometimes|typically|usually|try to|tries to|tried to|attempt*|managed to|like to))?( to)? (type*|write*|wrote|say*|said|insert*|embed*|hid*|hide|includ*|use*|used|enter*|send*|sent|submit*|paste*|inject*|add*|ask*|asked|tell*|told|telling|plant*|put*))';
