import type { Type } from 'avsc';
import type { FieldError } from './errors';

/**
 * Checks a JSON value against an Avro type and fills in defaults, collecting
 * one message per offending field (rather than avsc's single yes/no), so an
 * API client learns every problem of a request at once.
 */
export function normalizeValue(
  type: Type,
  value: unknown,
  path: string,
  errors: FieldError[],
): unknown {
  const t = type as AvroTypeInternals;
  const name = t.typeName;
  if (name === 'record' || name === 'error') return normalizeRecord(t, value, path, errors);
  if (name.startsWith('union')) return normalizeUnion(t, value, path, errors);
  if (name === 'array') {
    if (!Array.isArray(value))
      return fail(errors, path, `must be an array (got ${describe(value)})`);
    return value.map((item, i) => normalizeValue(t.itemsType!, item, `${path}[${i}]`, errors));
  }
  if (name === 'map') {
    if (!isPlainObject(value))
      return fail(
        errors,
        path,
        `must be an object of ${t.valuesType!.typeName} values (got ${describe(value)})`,
      );
    return Object.fromEntries(
      Object.entries(value).map(([k, v], i) => [
        k,
        normalizeValue(t.valuesType!, v, keyPath(path, k, i), errors),
      ]),
    );
  }
  if (name === 'enum') {
    if (typeof value !== 'string' || !t.symbols!.includes(value)) {
      return fail(errors, path, `must be one of ${t.symbols!.join(', ')} (got ${describe(value)})`);
    }
    return value;
  }
  return normalizePrimitive(name, value, path, errors);
}

function normalizeRecord(t: AvroTypeInternals, value: unknown, path: string, errors: FieldError[]) {
  if (!isPlainObject(value))
    return fail(errors, path, `must be an object (got ${describe(value)})`);
  const known = new Set(t.fields!.map((f) => f.name));
  Object.keys(value).forEach((key, i) => {
    if (!known.has(key))
      errors.push({ path: keyPath(path, key, i), message: 'is not a known field' });
  });
  const out: Record<string, unknown> = {};
  for (const field of t.fields!) {
    const fieldPath = join(path, field.name);
    const raw = value[field.name];
    if (raw === undefined) {
      const dflt = field.defaultValue();
      if (dflt === undefined) {
        errors.push({ path: fieldPath, message: 'is required' });
      } else {
        out[field.name] = plain(dflt);
      }
      continue;
    }
    out[field.name] = normalizeValue(field.type, raw, fieldPath, errors);
  }
  return out;
}

function normalizeUnion(t: AvroTypeInternals, value: unknown, path: string, errors: FieldError[]) {
  const branches = t.types!;
  const nonNull = branches.filter((b) => (b as AvroTypeInternals).typeName !== 'null');
  if (value === null) {
    if (nonNull.length !== branches.length) return null;
    return fail(errors, path, 'must not be null');
  }
  if (nonNull.length === 1) return normalizeValue(nonNull[0]!, value, path, errors);
  // Several non-null branches: the first that accepts the value wins.
  for (const branch of nonNull) {
    const branchErrors: FieldError[] = [];
    const out = normalizeValue(branch, value, path, branchErrors);
    if (branchErrors.length === 0) return out;
  }
  return fail(
    errors,
    path,
    `matches none of ${nonNull.map((b) => (b as AvroTypeInternals).typeName).join(', ')}`,
  );
}

function normalizePrimitive(name: string, value: unknown, path: string, errors: FieldError[]) {
  switch (name) {
    case 'string':
      return typeof value === 'string'
        ? value
        : fail(errors, path, `must be a string (got ${describe(value)})`);
    case 'boolean':
      return typeof value === 'boolean'
        ? value
        : fail(errors, path, `must be true or false (got ${describe(value)})`);
    case 'int':
      return isIntegerIn(value, -(2 ** 31), 2 ** 31 - 1)
        ? value
        : fail(errors, path, `must be a 32-bit integer (got ${describe(value)})`);
    case 'long':
      if (isIntegerIn(value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)) return value;
      return fail(
        errors,
        path,
        typeof value === 'number' && Number.isInteger(value)
          ? `must be an integer of at most 2^53 - 1 in magnitude (got ${describe(value)})`
          : `must be an integer (got ${describe(value)})`,
      );
    case 'float':
    case 'double':
      return typeof value === 'number' && Number.isFinite(value)
        ? value
        : fail(errors, path, `must be a finite number (got ${describe(value)})`);
    case 'null':
      return value === null ? null : fail(errors, path, `must be null (got ${describe(value)})`);
    default:
      return fail(errors, path, `has unsupported type ${name}`);
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

/** avsc's default values of records are class instances; events travel as plain objects. */
function plain(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? (JSON.parse(JSON.stringify(v)) as unknown) : v;
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
