import type { ASTNode } from '@marcbachmann/cel-js';
import { CEL_VARIABLES, MEASURED_FIELDS, type CelVariable, type ValueSize } from './expression-env';
import {
  MACROS,
  isConstant,
  isDurationLiteral,
  literalChars,
  mayFail,
  patternProblem,
  typeOf,
} from './expression-ast';

/**
 * What bounds the time of an expression. cel-js has no step limit and a synchronous check
 * cannot be interrupted, and CEL is not free of blow-ups: its macros (`all`, `exists`,
 * `exists_one`, `map`, `filter`) iterate, nest, and chain, and a few functions grow their
 * input. So, when the rules load, the checked AST is walked once:
 *
 * - What can grow a value beyond the sizes of the item's is refused: `cel.bind` (a bound value
 *   doubled at every step), `join` (a separator between every element squares a text),
 *   bytes (`hex()` doubles), and inside a macro, `+` on anything but numbers and list or map
 *   literals that are not constants (either can double a value at every chained `map`).
 *   Outside macros every node runs once, so `+` can make a value at most as many times
 *   larger as there are `+`: the growth factor `G` below.
 * - `matches` needs a string literal as its pattern, which must pass the ReDoS analysis of
 *   regex rules (regex-safety.ts); `text.matches(text)` would let the item choose the pattern.
 *   `duration` needs a short literal: cel-js reads durations with a pattern of its own,
 *   `(\d*\.?\d*)(ns|…|h)` tried at every position, cubic in a text of digits (10,000 digits
 *   did not finish in ten minutes).
 * - Macros nest at most 3 deep.
 * - Every node gets a cost per run: 50 units (about a nanosecond each on the development
 *   machine, where cel-js runs a node in 30-50 ns), plus per character of the longest string
 *   for what reads a string (0.5 for `contains` and comparisons, 8 for `matches`, 40 for
 *   `size`, which counts code points one by one, 4 by default; a comparison with a literal or
 *   `startsWith` a literal reads only the literal's length), the size of the values for a
 *   comparison or `in` of lists, maps or dyn values, 10 per element for a list `+`; and it
 *   runs once per element of every macro around it: a literal's length, else `R`, the item's
 *   longest list. An `all` / `exists` whose body can fail pays an error per element.
 *
 * Before each evaluation the estimate is worked out from the sizes of the variables the
 * expression uses (a few additions per term), and an evaluation over `COST_BUDGET` is not
 * started: the check fails and the rule's `on_error` decides. The estimate errs high
 * (`contains` runs twenty times faster than its cost says, and `exists` stops at its first
 * true), so what it lets run takes at most about the default `timeout_ms`. Building and
 * measuring the variables is not in it: that is linear in the item, like any text check.
 */

/** Cost units (about nanoseconds) an evaluation may be estimated at: the default timeout_ms. */
export const COST_BUDGET = 50_000_000;
export const MAX_MACRO_NESTING = 3;

const NODE = 50;
// Measured on the development machine (Node 24, cel-js 8, 1 MB texts) and rounded up about
// twofold: contains 0.02 ns a character, matches 0.7, lowerAscii 1.3, split 8, size 19.
const COMPARE_PER_CHAR = 0.5;
const PER_CHAR: Readonly<Record<string, number>> = {
  contains: 0.5,
  startsWith: 0.5,
  endsWith: 0.5,
  indexOf: 0.5,
  lastIndexOf: 0.5,
  matches: 8,
  size: 40,
  split: 25,
  lowerAscii: 4,
  upperAscii: 4,
  trim: 4,
  substring: 4,
};
const DEFAULT_PER_CHAR = 4;
/** A timestamp getter with a time zone formats the date in that zone (Intl): microseconds. */
const TIME_ZONE_CALL = 20_000;
/** An error raised and caught inside all / exists (about 15 µs measured). */
const ERROR = 20_000;
/** What a deep comparison costs per element and per character of the values compared. */
const PER_ELEMENT = 50;
const LIST_COPY_PER_ELEMENT = 10;
const TIMESTAMP = 'google.protobuf.Timestamp';
const NUMERIC = new Set(['int', 'uint', 'double', TIMESTAMP, 'google.protobuf.Duration']);
const SCALAR = new Set([...NUMERIC, 'bool', 'null', 'null_type', 'type']);
const REFUSED: Readonly<Record<string, string>> = {
  bind: 'cel.bind is not supported (a bound value can be doubled at every step)',
  join: 'join is not supported (a separator between every element can square a text)',
};

/** The cost terms of an expression, by macro depth (index 0: outside every macro). */
export interface ExpressionCost {
  /** The variables the expression names, the only ones built per evaluation. */
  readonly variables: readonly CelVariable[];
  /**
   * What is measured for the estimate: whole variables (`text`), or only the fields named of
   * a variable whose fields are measured apart (`tool_call.args`).
   */
  readonly measured: readonly string[];
  readonly nodes: readonly number[];
  /** Cost per character of the longest string. */
  readonly chars: readonly number[];
  /** Comparisons whose cost is the size of the values. */
  readonly deep: readonly number[];
  /** List concatenations (outside macros). */
  readonly copies: readonly number[];
  /** Calls of a fixed cost. */
  readonly fixed: readonly number[];
  /** 1 + the number of `+` that are not numeric. */
  readonly growth: number;
  /** Whether `split` is used: a text can then become a list as long as the text. */
  readonly splits: boolean;
}

interface Scope {
  /** How many macros around this node iterate something other than a literal. */
  readonly depth: number;
  /** The product of the lengths of the literals the macros around it iterate. */
  readonly factor: number;
  readonly macros: number;
}

/** The cost terms of a type-checked AST, or why it is refused. */
export function analyseExpression(ast: ASTNode): {
  cost: ExpressionCost;
  problems: string[];
} {
  const levels = MAX_MACRO_NESTING + 1;
  const zeros = () => new Array<number>(levels).fill(0);
  const nodes = zeros();
  const chars = zeros();
  const deep = zeros();
  const copies = zeros();
  const fixed = zeros();
  const problems = new Set<string>();
  const variables = new Set<CelVariable>();
  const measured = new Set<string>();
  let growth = 1;
  let splits = false;
  const known = new Set<string>(CEL_VARIABLES);

  const walk = (node: ASTNode, scope: Scope): void => {
    const { depth, factor } = scope;
    const inMacro = scope.macros > 0;
    nodes[depth]! += factor;
    if (typeOf(node) === 'bytes') problems.add('bytes are not supported (hex() doubles a size)');
    const refuse = (message: string) => problems.add(message);
    switch (node.op) {
      case 'value':
        return;
      case 'id':
        if (known.has(node.args)) {
          variables.add(node.args as CelVariable);
          measured.add(node.args);
        }
        return;
      case '.':
      case '.?': {
        const [target, field] = node.args;
        const name = target.op === 'id' ? (target.args as CelVariable) : undefined;
        if (name !== undefined && MEASURED_FIELDS[name]?.includes(field)) {
          nodes[depth]! += factor;
          variables.add(name);
          measured.add(`${name}.${field}`);
          return;
        }
        return walk(target, scope);
      }
      case '[]':
      case '[?]':
      case '-':
      case '*':
      case '/':
      case '%':
      case '&&':
      case '||':
        walk(node.args[0], scope);
        return walk(node.args[1], scope);
      case '?:':
        for (const a of node.args) walk(a, scope);
        return;
      case '!_':
      case '-_':
        return walk(node.args, scope);
      case 'list':
        for (const a of node.args) walk(a, scope);
        if (inMacro && !isConstant(node))
          refuse('inside a macro, a list literal must be a constant (build it outside)');
        return;
      case 'map':
        for (const [k, v] of node.args) {
          walk(k, scope);
          walk(v, scope);
        }
        if (inMacro && !isConstant(node))
          refuse('inside a macro, a map literal must be a constant (build it outside)');
        return;
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const [left, right] = node.args;
        walk(left, scope);
        walk(right, scope);
        const types = [typeOf(left), typeOf(right)];
        if (types.some((t) => SCALAR.has(t))) return;
        // A comparison with a string literal reads no further than the literal.
        const literal = [left, right].find((n) => n.op === 'value' && typeof n.args === 'string');
        if (literal) fixed[depth]! += COMPARE_PER_CHAR * literalChars(literal) * factor;
        else if (types.includes('string')) chars[depth]! += COMPARE_PER_CHAR * factor;
        else deep[depth]! += factor;
        return;
      }
      case 'in': {
        const [needle, haystack] = node.args;
        walk(needle, scope);
        walk(haystack, scope);
        if (typeOf(haystack).startsWith('map<')) chars[depth]! += COMPARE_PER_CHAR * factor;
        else if (haystack.op === 'list' && isConstant(haystack)) {
          // Each constant is compared once; a string no further than its own length.
          nodes[depth]! += haystack.args.length * factor;
          fixed[depth]! += COMPARE_PER_CHAR * literalChars(haystack) * factor;
        } else deep[depth]! += factor;
        return;
      }
      case '+': {
        walk(node.args[0], scope);
        walk(node.args[1], scope);
        const type = typeOf(node);
        if (NUMERIC.has(type)) return;
        if (inMacro) {
          refuse(
            'inside a macro, + must add numbers (a text or list built at every step can ' +
              'double): convert dyn values with int(), uint() or double()',
          );
          return;
        }
        growth++;
        if (type !== 'string') copies[depth]! += factor;
        return;
      }
      case 'call':
      case 'rcall': {
        const [name, receiver, args] =
          node.op === 'call' ? [node.args[0], undefined, node.args[1]] : node.args;
        const why = REFUSED[name];
        if (why !== undefined) refuse(why);
        const first = args[0];
        if (receiver && MACROS.has(name) && first?.op === 'id') {
          walk(receiver, scope);
          if (scope.macros >= MAX_MACRO_NESTING) {
            refuse(`nests macros more than ${MAX_MACRO_NESTING} deep`);
            return;
          }
          const literal = receiver.op === 'list' || receiver.op === 'map';
          const inner: Scope = {
            depth: literal ? depth : depth + 1,
            factor: literal ? factor * receiver.args.length : factor,
            macros: scope.macros + 1,
          };
          for (const a of args.slice(1)) walk(a, inner);
          // all / exists catch an error at each element and go on: an error costs far more
          // than a node (cel-js builds its message), so a body that can fail pays it per step.
          if ((name === 'all' || name === 'exists') && args.slice(1).some(mayFail))
            fixed[inner.depth]! += ERROR * inner.factor;
          return;
        }
        if (receiver) walk(receiver, scope);
        for (const a of args) walk(a, scope);
        if (name === 'matches') {
          const problem = patternProblem(first);
          if (problem !== null) refuse(problem);
        }
        if (name === 'duration' && !isDurationLiteral(first))
          refuse(
            'duration needs a literal such as "90s" or "1h30m" (cel-js reads a duration with ' +
              'a pattern that backtracks catastrophically on a long text)',
          );
        if (name === 'split') splits = true;
        if (name === 'has' || name === 'dyn' || name === 'type') return;
        if (name === 'size' && typeOf(receiver ?? first) !== 'string') return;
        if (receiver && typeOf(receiver) === TIMESTAMP && args.length > 0) {
          fixed[depth]! += TIME_ZONE_CALL * factor;
          return;
        }
        if ((name === 'startsWith' || name === 'endsWith') && first?.op === 'value') {
          fixed[depth]! += PER_CHAR[name]! * literalChars(first) * factor;
          return;
        }
        chars[depth]! += (PER_CHAR[name] ?? DEFAULT_PER_CHAR) * factor;
        return;
      }
      default:
        refuse(`uses ${(node as { op: string }).op}, whose cost is not known`);
    }
  };
  walk(ast, { depth: 0, factor: 1, macros: 0 });
  return {
    cost: {
      variables: [...variables],
      measured: [...measured],
      nodes,
      chars,
      deep,
      copies,
      fixed,
      growth,
      splits,
    },
    problems: [...problems],
  };
}

/** The estimated cost of one evaluation on values of these sizes (all variables used, merged). */
export function estimateCost(cost: ExpressionCost, size: ValueSize): number {
  const g = cost.growth;
  const longestString = g * size.longestString;
  const longestList = g * size.longestList;
  let everything = g * (PER_ELEMENT * size.elements + COMPARE_PER_CHAR * size.chars);
  let range = longestList;
  if (cost.splits) {
    range = Math.max(range, longestString);
    everything += PER_ELEMENT * longestString;
  }
  let total = 0;
  for (let d = 0; d < cost.nodes.length; d++) {
    const perRun =
      NODE * cost.nodes[d]! +
      longestString * cost.chars[d]! +
      everything * cost.deep[d]! +
      LIST_COPY_PER_ELEMENT * longestList * cost.copies[d]! +
      cost.fixed[d]!;
    total += perRun * range ** d;
  }
  return total;
}
