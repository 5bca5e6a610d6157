import { parseDocument } from 'yaml';
import { compileRules } from './compile-rules';
import { GuardrailConfigError } from './errors';
import type { Rule } from './rule-schema';

/** YAML aliases a rules file may expand (a bound against "billion laughs" documents). */
const MAX_ALIASES = 100;

/**
 * Reads a rules file (YAML or JSON text, or an already parsed object) and returns its rules,
 * validated and with their defaults filled in. Throws `GuardrailConfigError` listing every
 * problem: YAML syntax (with line and column), fields (`rules[2].check.pattern: is not a
 * valid regular expression`), and what only compiling shows (a pattern that can backtrack
 * catastrophically, a JSON Schema ajv refuses, a check that does not fit the rule's stage or
 * action, a duplicate id). Synchronous; the ReDoS analysis of a new pattern can take up to a
 * few hundred milliseconds, so load rules at start and on change, never per call.
 */
export function loadRules(input: string | object, source: string): Rule[] {
  const document = typeof input === 'string' ? parseText(input, source) : input;
  return compileRules(document, source).rules;
}

/**
 * As `loadRules`, for a file that holds either a rules file's `{ rules: [...] }` or a single
 * rule (an object with an `id` and no `rules`), as `llmops guardrails add --file` takes.
 */
export function loadRuleFile(input: string | object, source: string): Rule[] {
  const document = typeof input === 'string' ? parseText(input, source) : input;
  const single =
    typeof document === 'object' &&
    document !== null &&
    !Array.isArray(document) &&
    !('rules' in document) &&
    'id' in document;
  return loadRules(single ? { rules: [document] } : (document as object), source);
}

function parseText(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new GuardrailConfigError(
      source,
      doc.errors.map((e) => `(syntax): ${firstLine(e.message)}`),
    );
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    throw new GuardrailConfigError(source, [`(syntax): ${firstLine((err as Error).message)}`], {
      cause: err,
    });
  }
}

function firstLine(message: string): string {
  return (message.split('\n', 1)[0] ?? message).replace(/:$/, '');
}
