import type { ASTNode } from '@marcbachmann/cel-js';
import { shorten } from './check';
import { regexSafetyProblem } from './regex-safety';

/**
 * What expression-cost.ts asks of a type-checked cel-js AST: node types, whether a subtree is
 * a constant or can fail, and whether the literals given to `matches` and `duration` are safe.
 */

/** The comprehension macros: they iterate a list (or a map's keys). */
export const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** The checked type cel-js leaves on a node (dyn when it left none). */
export function typeOf(node: ASTNode | undefined): string {
  const type = (node as { checkedType?: { name?: unknown } } | undefined)?.checkedType?.name;
  return typeof type === 'string' ? type : 'dyn';
}

/** The types whose fields are declared: selecting one cannot fail. */
const DECLARED = new Set(['Message', 'ToolCall', 'Context', 'ToolHistory']);
/** Functions that cannot fail on operands of their declared types. */
const TOTAL = new Set([
  'contains',
  'startsWith',
  'endsWith',
  'lowerAscii',
  'upperAscii',
  'trim',
  'size',
  'matches',
  'split',
  'has',
  'type',
  'dyn',
]);

/**
 * Whether evaluating the subtree can raise an error: a select on a map or a dyn value (no such
 * key), an index, arithmetic (overflow, division by zero), a conversion, an ordering or a
 * function on a dyn value. `==`, `!=` and declared fields cannot.
 */
export function mayFail(node: ASTNode): boolean {
  const dyn = (n: ASTNode) => typeOf(n) === 'dyn';
  switch (node.op) {
    case 'value':
    case 'id':
    case 'list':
    case 'map':
      return false;
    case '.':
    case '.?':
      return !DECLARED.has(typeOf(node.args[0])) || mayFail(node.args[0]);
    case '==':
    case '!=':
      return mayFail(node.args[0]) || mayFail(node.args[1]);
    case '<':
    case '<=':
    case '>':
    case '>=':
    case 'in':
    case '&&':
    case '||':
      return node.args.some((a) => dyn(a) || mayFail(a));
    case '!_':
      return dyn(node.args) || mayFail(node.args);
    case '?:':
      return dyn(node.args[0]) || node.args.some(mayFail);
    case 'call':
    case 'rcall': {
      const [name, receiver, args] =
        node.op === 'call' ? [node.args[0], undefined, node.args[1]] : node.args;
      const operands = receiver ? [receiver, ...args] : args;
      if (MACROS.has(name))
        return operands.slice(0, 1).some(mayFail) || args.slice(1).some(mayFail);
      return !TOTAL.has(name) || operands.some((a) => dyn(a) || mayFail(a));
    }
    default:
      return true;
  }
}

/** The characters of the string literals in a constant. */
export function literalChars(node: ASTNode): number {
  switch (node.op) {
    case 'value':
      return typeof node.args === 'string' ? node.args.length : 1;
    case 'list':
      return node.args.reduce((n, a) => n + literalChars(a), 0);
    default:
      return 1;
  }
}

/** No variable in it: the same value at every step of a macro. */
export function isConstant(node: ASTNode): boolean {
  switch (node.op) {
    case 'value':
      return true;
    case 'list':
      return node.args.every(isConstant);
    case 'map':
      return node.args.every(([k, v]) => isConstant(k) && isConstant(v));
    default:
      return false;
  }
}

/** A short, well-formed Go-style duration: what cel-js's own pattern reads in linear time. */
const DURATION = /^[-+]?(?:\d{1,12}(?:\.\d{1,9})?(?:ns|us|µs|ms|s|m|h)){1,6}$/;

export function isDurationLiteral(node: ASTNode | undefined): boolean {
  return node?.op === 'value' && typeof node.args === 'string' && DURATION.test(node.args);
}

export function patternProblem(pattern: ASTNode | undefined): string | null {
  if (pattern?.op !== 'value' || typeof pattern.args !== 'string')
    return 'matches needs a string literal as its pattern (so that it is checked when the rules load)';
  const label = `matches(${JSON.stringify(shorten(pattern.args, 40))})`;
  try {
    new RegExp(pattern.args);
  } catch {
    return `${label}: is not a valid regular expression`;
  }
  const unsafe = regexSafetyProblem(pattern.args, '');
  return unsafe === null ? null : `${label}: ${unsafe}`;
}
