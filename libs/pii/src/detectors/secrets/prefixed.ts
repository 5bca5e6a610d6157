import { boundaryAfter, boundaryBefore } from '../../core/chars';
import { charClasses, shannonEntropy } from '../../validators/entropy';
import type { Finding, PiiType } from '../../types';
import { rewind, type Detector } from '../detector';

interface PrefixedRule {
  rule: string;
  type: PiiType;
  /** The whole token, matched at a located head. */
  pattern: RegExp;
  score: number;
  /** Extra check on the matched value; returns the score to use, or 0 to drop it. */
  validate?: (value: string) => number;
}

// Bodies of vendor keys are random: a real one mixes classes and is not a word or a slug.
function randomLooking(body: string, minEntropy: number): boolean {
  return (
    charClasses(body) >= 2 &&
    shannonEntropy(body) >= minEntropy &&
    !/^[a-z]+(?:-[a-z]+)*$/.test(body)
  );
}

const RULES: readonly PrefixedRule[] = [
  {
    rule: 'secret.aws-access-key',

    type: 'AWS_ACCESS_KEY',
    score: 0.95,
    pattern: /(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|AGPA)[A-Z0-9]{16}/g,
  },
  {
    rule: 'secret.github-classic',

    type: 'GITHUB_TOKEN',
    score: 0.97,
    pattern: /gh[pousr]_[A-Za-z0-9]{36,251}/g,
    validate: (v) => (randomLooking(v.slice(4), 3.5) ? 0.97 : 0),
  },
  {
    rule: 'secret.github-fine-grained',

    type: 'GITHUB_TOKEN',
    score: 0.97,
    pattern: /github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}/g,
  },
  {
    rule: 'secret.gitlab',

    type: 'GITLAB_TOKEN',
    score: 0.95,
    pattern: /gl(?:pat|dt|rt|ptt|ft|cbt|imt|oas|soat|agent)-[A-Za-z0-9_-]{20,80}/g,
    validate: (v) => (randomLooking(v.slice(v.indexOf('-') + 1), 3.2) ? 0.95 : 0),
  },
  {
    rule: 'secret.slack-token',

    type: 'SLACK_TOKEN',
    score: 0.95,
    pattern: /xox[abposre]-[A-Za-z0-9-]{10,250}/g,
    validate: (v) => (/\d/.test(v.slice(5)) ? 0.95 : 0),
  },
  {
    rule: 'secret.slack-app-token',

    type: 'SLACK_TOKEN',
    score: 0.95,
    pattern: /xapp-\d-[A-Z0-9]{8,16}-\d{8,16}-[a-f0-9]{32,80}/g,
  },
  {
    rule: 'secret.slack-webhook',

    type: 'SLACK_TOKEN',
    score: 0.95,
    pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,32}/g,
  },
  {
    rule: 'secret.stripe',

    type: 'STRIPE_KEY',
    score: 0.95,
    pattern: /(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}/g,
    validate: (v) => (randomLooking(v.slice(8), 3.2) ? 0.95 : 0),
  },
  {
    rule: 'secret.stripe-webhook',

    type: 'STRIPE_KEY',
    score: 0.95,
    pattern: /whsec_[A-Za-z0-9]{24,64}/g,
  },
  {
    rule: 'secret.anthropic',

    type: 'ANTHROPIC_API_KEY',
    score: 0.98,
    pattern: /sk-ant-(?:api|admin|oat|sid)\d{2}-[A-Za-z0-9_-]{32,200}/g,
  },
  {
    rule: 'secret.openai',

    type: 'OPENAI_API_KEY',
    score: 0.9,
    pattern: /sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,250}/g,
    validate: (v) => {
      if (v.startsWith('sk-ant-')) return 0;
      if (v.includes('T3BlbkFJ')) return 0.98;
      return randomLooking(v.slice(3), 3.8) && /\d/.test(v) && /[A-Z]/.test(v) ? 0.85 : 0;
    },
  },
  {
    rule: 'secret.google-api-key',

    type: 'GOOGLE_API_KEY',
    score: 0.95,
    pattern: /AIza[0-9A-Za-z_-]{35}/g,
  },
];

// The heads (`ghp_`, `AKIA`, `sk-`...) are found by the shared cue automaton (cues.ts, family
// 'vendor'); each rule's own regex then runs anchored (sticky) there, case-sensitively.
const STICKY = RULES.map((r) => new RegExp(r.pattern.source, 'y'));

function matchAt(text: string, at: number, out: Finding[]): number {
  for (let i = 0; i < RULES.length; i++) {
    const r = RULES[i] as PrefixedRule;
    const re = STICKY[i] as RegExp;
    const m = rewind(re, at).exec(text);
    if (!m) continue;
    const end = at + m[0].length;
    if (!boundaryAfter(text, end)) continue;
    const score = r.validate ? r.validate(m[0]) : r.score;
    if (score <= 0) continue;
    out.push({ type: r.type, start: at, end, score, rule: r.rule });
    return end;
  }
  return at + 1;
}

/** Vendor keys recognisable by a fixed prefix: AWS, GitHub, GitLab, Slack, Stripe, OpenAI, Anthropic, Google. */
export const prefixedSecretsDetector: Detector = {
  name: 'secrets.prefixed',
  types: [...new Set(RULES.map((r) => r.type))],
  patterns: RULES.map((r) => r.pattern),
  detect(text, out, ctx) {
    let resume = 0;
    for (const cue of ctx.cues()) {
      if (cue.family !== 'vendor' || cue.at < resume || !boundaryBefore(text, cue.at)) continue;
      resume = matchAt(text, cue.at, out);
    }
  },
};
