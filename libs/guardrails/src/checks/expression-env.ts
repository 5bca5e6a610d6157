import { Environment } from '@marcbachmann/cel-js';
import type { GuardrailItem } from '../item';
import type { Segment } from './check';

/**
 * What a CEL expression sees of an item: one environment for every expression rule, with
 * every variable declared and typed, so an expression that names anything else (`process`,
 * `require`, `globalThis`) or a field its type lacks (`tool_call.constructor`) is refused when
 * the rules load, by the type checker. CEL has no I/O, no assignment and no loops but its
 * macros; the environment adds no function of its own, so an expression can reach only these
 * values. Objects come from classes with declared fields (cel-js reads declared fields only)
 * and from `JSON.parse`, whose maps cel-js reads by own key: `__proto__` or `constructor`
 * there is a key like any other, or no such key.
 */

/** Structural limits of the parser (cel-js refuses an expression beyond them). */
export const CEL_LIMITS = {
  maxAstNodes: 1_024,
  maxDepth: 32,
  maxListElements: 256,
  maxMapEntries: 256,
  maxCallArguments: 8,
} as const;

class CelMessage {
  constructor(
    readonly role: string,
    readonly content: string,
  ) {}
}

class CelToolCall {
  readonly name: string;
  readonly arguments: string;
  readonly args: Readonly<Record<string, unknown>>;

  constructor(name: string, text: string, args: Readonly<Record<string, unknown>>) {
    this.name = name;
    this.arguments = text;
    this.args = args;
  }
}

class CelContext {
  constructor(
    readonly tenant: string,
    readonly app_id: string,
    readonly agent_id: string,
    readonly model: string,
    readonly endpoint_kind: string,
    readonly session_id: string,
    readonly trace_id: string,
  ) {}
}

class CelToolHistory {
  constructor(
    readonly trace: readonly string[],
    readonly session: readonly string[],
  ) {}
}

export const celEnvironment = new Environment({ limits: CEL_LIMITS })
  .registerType('Message', { ctor: CelMessage, fields: { role: 'string', content: 'string' } })
  .registerType('ToolCall', {
    ctor: CelToolCall,
    fields: { name: 'string', arguments: 'string', args: 'map<string, dyn>' },
  })
  .registerType('Context', {
    ctor: CelContext,
    fields: {
      tenant: 'string',
      app_id: 'string',
      agent_id: 'string',
      model: 'string',
      endpoint_kind: 'string',
      session_id: 'string',
      trace_id: 'string',
    },
  })
  .registerType('ToolHistory', {
    ctor: CelToolHistory,
    fields: { trace: 'list<string>', session: 'list<string>' },
  })
  .registerVariable('stage', 'string')
  .registerVariable('text', 'string')
  .registerVariable('messages', 'list<Message>')
  .registerVariable('tool_call', 'ToolCall')
  .registerVariable('context', 'Context')
  .registerVariable('metadata', 'map<string, string>')
  .registerVariable('tool_history', 'ToolHistory')
  .registerVariable('source', 'string');

/** The variables, in the order the README lists them. */
export const CEL_VARIABLES = [
  'stage',
  'text',
  'messages',
  'tool_call',
  'context',
  'metadata',
  'tool_history',
  'source',
] as const;
export type CelVariable = (typeof CEL_VARIABLES)[number];

/**
 * How big a variable's value is, for the cost estimate (expression-cost.ts): its longest
 * string, its longest list (or map), and everything in it (elements and map entries, and
 * characters).
 */
export interface ValueSize {
  longestString: number;
  longestList: number;
  elements: number;
  chars: number;
}

export interface CelValue {
  readonly value: unknown;
  readonly size: ValueSize;
  /** The sizes of its fields, for a variable whose fields differ much (`tool_call`). */
  readonly parts?: Readonly<Record<string, ValueSize>>;
}

/** The fields measured apart (`tool_call.args` is not the size of `tool_call.arguments`). */
export const MEASURED_FIELDS: Readonly<Partial<Record<CelVariable, readonly string[]>>> = {
  tool_call: ['name', 'arguments', 'args'],
};

/** The size of values taken together: the longest of each, the sum of everything. */
export function addSize(into: ValueSize, size: ValueSize): ValueSize {
  into.longestString = Math.max(into.longestString, size.longestString);
  into.longestList = Math.max(into.longestList, size.longestList);
  into.elements += size.elements;
  into.chars += size.chars;
  return into;
}

export function emptySize(): ValueSize {
  return { longestString: 0, longestList: 0, elements: 0, chars: 0 };
}

/** The value of `name` for an item, with its size. Built per evaluation, per variable used. */
export function celValue(
  name: CelVariable,
  item: GuardrailItem,
  segments: readonly Segment[],
): CelValue {
  switch (name) {
    case 'stage':
      return of(item.stage);
    case 'text':
      return of(segments.map((s) => s.text).join('\n'));
    case 'messages': {
      const messages = (item.messages ?? []).map((m) => new CelMessage(m.role, m.content ?? ''));
      return { value: messages, size: measure(messages.map((m) => [m.role, m.content])) };
    }
    case 'tool_call': {
      const call = item.tool_call;
      const args = call ? parseArgs(call.arguments) : {};
      const value = new CelToolCall(call?.name ?? '', call?.arguments ?? '', args);
      const parts = {
        name: of(value.name).size,
        arguments: of(value.arguments).size,
        args: measure(args),
      };
      const size = Object.values(parts).reduce(addSize, emptySize());
      return { value, size, parts };
    }
    case 'context': {
      const c = item.context;
      const value = new CelContext(
        c.tenant,
        c.app_id ?? '',
        c.agent_id ?? '',
        c.model ?? '',
        c.endpoint_kind ?? 'external',
        c.session_id ?? '',
        c.trace_id ?? '',
      );
      return { value, size: measure(Object.values(value)) };
    }
    case 'metadata': {
      const value = item.metadata ?? {};
      return { value, size: measure(value) };
    }
    case 'tool_history': {
      const h = item.tool_history;
      const value = new CelToolHistory(h?.trace ?? [], h?.session ?? []);
      return { value, size: measure([value.trace, value.session]) };
    }
    case 'source':
      return of(item.source ?? '');
  }
}

function of(text: string): CelValue {
  return {
    value: text,
    size: { longestString: text.length, longestList: 0, elements: 0, chars: text.length },
  };
}

/** The arguments as a map when they are a JSON object; else (not JSON, an array) empty. */
function parseArgs(text: string): Readonly<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The size of a JSON-like value, walked without recursion (JSON can nest deeper than a stack). */
function measure(root: unknown): ValueSize {
  const size = emptySize();
  const pending: unknown[] = [root];
  const text = (s: string) => {
    size.chars += s.length;
    if (s.length > size.longestString) size.longestString = s.length;
  };
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === 'string') text(v);
    else if (Array.isArray(v)) {
      size.elements += v.length;
      if (v.length > size.longestList) size.longestList = v.length;
      for (const e of v) pending.push(e);
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      size.elements += entries.length;
      if (entries.length > size.longestList) size.longestList = entries.length;
      for (const [k, e] of entries) {
        text(k);
        pending.push(e);
      }
    }
  }
  return size;
}
