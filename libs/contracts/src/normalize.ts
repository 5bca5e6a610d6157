import type { Type } from 'avsc';
import type { FieldError } from './errors';

/**
 * Checks a JSON value against an Avro type and fills in defaults, collecting
 * one message per offending field (rather than avsc's single yes/no), so an
 * API client learns every problem of a request at once.
 *
 * The walk over the schema is compiled once per type into a tree of small
 * functions (field lists, known-field sets, union branches and default
 * factories worked out ahead), so checking a value costs no schema lookups,
 * and the path of a field is spelled out only when it is needed: for an
 * error, or to descend into a nested record, array or map.
 */
export function normalizeValue(
  type: Type,
  value: unknown,
  path: string,
  errors: FieldError[],
  { inPlace = false }: { inPlace?: boolean } = {},
): unknown {
  return compile(type, inPlace)(value, path, errors);
}

/** Checks `value` at `path`; pushes errors and returns undefined where it does not fit. */
type Normalizer = (value: unknown, path: string, errors: FieldError[]) => unknown;

/**
 * Compiled normalizers by type: one set builds fresh values, the other
 * completes the input where it stands (records get their defaults added,
 * nothing is copied), for callers that own the input, such as a parsed
 * request body, and drop it when it has errors.
 */
const compiled = {
  copy: new WeakMap<Type, Normalizer>(),
  inPlace: new WeakMap<Type, Normalizer>(),
};

function compile(type: Type, inPlace: boolean): Normalizer {
  const cache = inPlace ? compiled.inPlace : compiled.copy;
  const cached = cache.get(type);
  if (cached) return cached;
  // A forward reference registered before the children are compiled, so recursive types terminate.
  const forward: { impl?: Normalizer } = {};
  cache.set(type, (value, path, errors) => forward.impl!(value, path, errors));
  const impl = build(type, inPlace);
  forward.impl = impl;
  cache.set(type, impl);
  return impl;
}

function build(t: AvroTypeInternals, inPlace: boolean): Normalizer {
  const name = t.typeName;
  if (name === 'record' || name === 'error') return recordNormalizer(t, inPlace);
  if (name.startsWith('union')) return unionNormalizer(t, inPlace);
  if (name === 'array') {
    const item = compile(t.itemsType!, inPlace);
    return (value, path, errors) => {
      if (!Array.isArray(value))
        return fail(errors, path, `must be an array (got ${describe(value)})`);
      const out: unknown[] = inPlace ? (value as unknown[]) : new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = item(value[i], `${path}[${i}]`, errors);
      return out;
    };
  }
  if (name === 'map') {
    const values = compile(t.valuesType!, inPlace);
    const valueTypeName = t.valuesType!.typeName;
    return (value, path, errors) => {
      if (!isPlainObject(value))
        return fail(
          errors,
          path,
          `must be an object of ${valueTypeName} values (got ${describe(value)})`,
        );
      const out: Record<string, unknown> = inPlace ? value : {};
      let i = 0;
      for (const k of Object.keys(value)) out[k] = values(value[k], keyPath(path, k, i++), errors);
      return out;
    };
  }
  if (name === 'enum') {
    const symbols = new Set(t.symbols);
    const list = t.symbols!.join(', ');
    return (value, path, errors) =>
      typeof value === 'string' && symbols.has(value)
        ? value
        : fail(errors, path, `must be one of ${list} (got ${describe(value)})`);
  }
  return primitiveNormalizer(name);
}

interface CompiledField {
  name: string;
  normalize: Normalizer;
  /** Whether the value is a primitive: its path is needed only for an error. */
  leaf: boolean;
  /** A fresh default for an absent field; undefined when the field is required. */
  dflt: (() => unknown) | undefined;
}

function recordNormalizer(t: AvroTypeInternals, inPlace: boolean): Normalizer {
  const fields: CompiledField[] = t.fields!.map((f) => ({
    name: f.name,
    normalize: compile(f.type, inPlace),
    leaf: isLeaf(f.type as unknown as AvroTypeInternals),
    dflt: defaultFactory(f.defaultValue()),
  }));
  const known = new Set(fields.map((f) => f.name));
  return (value, path, errors) => {
    if (!isPlainObject(value))
      return fail(errors, path, `must be an object (got ${describe(value)})`);
    let i = 0;
    for (const key in value) {
      if (!known.has(key) && Object.prototype.hasOwnProperty.call(value, key))
        errors.push({ path: keyPath(path, key, i), message: 'is not a known field' });
      i++;
    }
    const out: Record<string, unknown> = inPlace ? value : {};
    for (const field of fields) {
      const raw = value[field.name];
      if (raw === undefined) {
        if (field.dflt === undefined)
          errors.push({ path: join(path, field.name), message: 'is required' });
        else out[field.name] = field.dflt();
        continue;
      }
      if (field.leaf) {
        const before = errors.length;
        const v = field.normalize(raw, '', errors);
        // A leaf reported an error at '' (it never descends): give it its path now.
        for (let e = before; e < errors.length; e++) errors[e]!.path = join(path, field.name);
        out[field.name] = v;
      } else {
        out[field.name] = field.normalize(raw, join(path, field.name), errors);
      }
    }
    return out;
  };
}

/** Primitives, enums and unions of them: they never descend, so they need no path unless they fail. */
function isLeaf(t: AvroTypeInternals): boolean {
  const name = t.typeName;
  if (name.startsWith('union'))
    return t.types!.every((b) => isLeaf(b as unknown as AvroTypeInternals));
  return !['record', 'error', 'array', 'map'].includes(name);
}

/** avsc's default values of records are class instances; events travel as plain objects, each its own. */
function defaultFactory(dflt: unknown): (() => unknown) | undefined {
  if (dflt === undefined) return undefined;
  if (dflt === null || typeof dflt !== 'object') return () => dflt;
  if (Array.isArray(dflt) && dflt.length === 0) return () => [];
  const json = JSON.stringify(dflt);
  if (json === '{}') return () => ({});
  return () => JSON.parse(json) as unknown;
}

function unionNormalizer(t: AvroTypeInternals, inPlace: boolean): Normalizer {
  const branches = t.types!;
  const nonNull = branches.filter((b) => (b as AvroTypeInternals).typeName !== 'null');
  const nullable = nonNull.length !== branches.length;
  const compiledBranches = nonNull.map((b) => compile(b, inPlace));
  const names = nonNull.map((b) => (b as AvroTypeInternals).typeName).join(', ');
  if (compiledBranches.length === 1) {
    const only = compiledBranches[0]!;
    return (value, path, errors) => {
      if (value === null) return nullable ? null : fail(errors, path, 'must not be null');
      return only(value, path, errors);
    };
  }
  return (value, path, errors) => {
    if (value === null) return nullable ? null : fail(errors, path, 'must not be null');
    // Several non-null branches: the first that accepts the value wins.
    for (const branch of compiledBranches) {
      const branchErrors: FieldError[] = [];
      const out = branch(value, path, branchErrors);
      if (branchErrors.length === 0) return out;
    }
    return fail(errors, path, `matches none of ${names}`);
  };
}

function primitiveNormalizer(name: string): Normalizer {
  switch (name) {
    case 'string':
      return (value, path, errors) =>
        typeof value === 'string'
          ? value
          : fail(errors, path, `must be a string (got ${describe(value)})`);
    case 'boolean':
      return (value, path, errors) =>
        typeof value === 'boolean'
          ? value
          : fail(errors, path, `must be true or false (got ${describe(value)})`);
    case 'int':
      return (value, path, errors) =>
        isIntegerIn(value, -(2 ** 31), 2 ** 31 - 1)
          ? value
          : fail(errors, path, `must be a 32-bit integer (got ${describe(value)})`);
    case 'long':
      return (value, path, errors) => {
        if (isIntegerIn(value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)) return value;
        return fail(
          errors,
          path,
          typeof value === 'number' && Number.isInteger(value)
            ? `must be an integer of at most 2^53 - 1 in magnitude (got ${describe(value)})`
            : `must be an integer (got ${describe(value)})`,
        );
      };
    case 'float':
    case 'double':
      return (value, path, errors) =>
        typeof value === 'number' && Number.isFinite(value)
          ? value
          : fail(errors, path, `must be a finite number (got ${describe(value)})`);
    case 'null':
      return (value, path, errors) =>
        value === null ? null : fail(errors, path, `must be null (got ${describe(value)})`);
    default:
      return (_value, path, errors) => fail(errors, path, `has unsupported type ${name}`);
  }
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function fail(errors: FieldError[], path: string, message: string): undefined {
  errors.push({ path, message });
  return undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** A key the client chose appears in a path only when it looks like a name: a path never echoes arbitrary text. */
function keyPath(path: string, key: string, index: number): string {
  return /^[A-Za-z0-9_][A-Za-z0-9._:/-]{0,127}$/.test(key) ? join(path, key) : `${path}[#${index}]`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Describes a value for an error message without echoing its content (it may be PII). */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number')
    return Number.isInteger(v) ? `integer ${v}` : Number.isFinite(v) ? `number ${v}` : String(v);
  if (typeof v === 'string')
    return v.length <= 40 && /^[\w .:-]*$/.test(v)
      ? `string '${v}'`
      : `a string of ${v.length} characters`;
  return typeof v;
}

/** The parts of avsc's Type objects this walker reads (not in avsc's typings). */
interface AvroTypeInternals {
  typeName: string;
  fields?: Array<{ name: string; type: Type; defaultValue(): unknown }>;
  types?: Type[];
  itemsType?: Type;
  valuesType?: Type;
  symbols?: string[];
}
