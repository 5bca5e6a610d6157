// Test helper, not part of the published library: validates OCSF records
// against the OCSF schema *source* (the ocsf/ocsf-schema repository layout:
// events/, objects/, profiles/, dictionary.json, categories.json), compiling
// it the way the OCSF server does:
// - a class or object inherits its `extends` chain (attribute definitions
//   deep-merged, child over parent);
// - `$include`d profile attributes are tagged with their profile, and count
//   only when `metadata.profiles` lists it (a class that redefines such an
//   attribute with `"profile": null` makes it its own);
// - every attribute definition is laid over its dictionary.json entry, which
//   gives its type, array-ness, sibling and (merged) enum.
// Then it checks what the server's validator checks: required attributes,
// no unknown attributes, types and the constraints of the dictionary's data
// types (regex, max_len, range), enum values and their caption siblings,
// object constraints (at_least_one, just_one), class_uid/category_uid/type_uid
// and their names, metadata.version. It is stricter in three places: sibling
// caption mismatches, deprecated attributes or enum values, and integral
// values of float_t attributes (they serialize as JSON integers) are errors.
import * as fs from 'node:fs';
import * as path from 'node:path';

interface EnumValue {
  caption: string;
  '@deprecated'?: unknown;
}

interface AttributeDef {
  type?: string;
  is_array?: boolean;
  requirement?: string;
  enum?: Record<string, EnumValue>;
  sibling?: string;
  profile?: string | null;
  '@deprecated'?: unknown;
}

interface ItemDef {
  name: string;
  caption?: string;
  uid?: number;
  category?: string;
  extends?: string;
  attributes: Record<string, AttributeDef>;
  constraints?: { at_least_one?: string[]; just_one?: string[] };
}

interface TypeDef {
  type?: string;
  regex?: string;
  max_len?: number;
  range?: [number, number];
  values?: unknown[];
}

type Raw = Record<string, unknown>;

function readJson(file: string): Raw {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Raw;
}

function isPlainObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Child over parent; nested objects merged, everything else (lists included) replaced. */
function deepMerge(parent: Raw, child: Raw): Raw {
  const out: Raw = { ...parent };
  for (const [k, v] of Object.entries(child)) {
    const p = out[k];
    out[k] = isPlainObject(p) && isPlainObject(v) ? deepMerge(p, v) : v;
  }
  return out;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return walk(full);
    return d.name.endsWith('.json') ? [full] : [];
  });
}

export class OcsfSchema {
  readonly version: string;
  /** Names of the objects a validation looked at (to know what a trimmed copy of the schema must hold). */
  readonly usedObjects = new Set<string>();
  private readonly dictionary: Record<string, AttributeDef>;
  private readonly types: Record<string, TypeDef>;
  private readonly categories: Record<string, { uid: number; caption: string }>;
  private readonly rawEvents = new Map<string, Raw>();
  private readonly profileNames = new Set<string>();
  private readonly resolved = new Map<string, ItemDef>();
  private readonly classesByUid = new Map<number, ItemDef>();

  constructor(private readonly dir: string) {
    this.version = readJson(path.join(dir, 'version.json')).version as string;
    const dict = readJson(path.join(dir, 'dictionary.json'));
    this.dictionary = dict.attributes as Record<string, AttributeDef>;
    this.types = (dict.types as { attributes: Record<string, TypeDef> }).attributes;
    this.categories = readJson(path.join(dir, 'categories.json'))
      .attributes as typeof this.categories;
    for (const file of walk(path.join(dir, 'events'))) {
      const raw = readJson(file);
      this.rawEvents.set(raw.name as string, raw);
    }
    for (const file of walk(path.join(dir, 'profiles')))
      this.profileNames.add(readJson(file).name as string);
    for (const name of this.rawEvents.keys()) {
      const cls = this.resolve('event', name);
      if (cls.uid === undefined || !cls.category) continue;
      const category = this.categories[cls.category];
      if (!category)
        throw new Error(`OCSF schema: class ${name} has unknown category ${cls.category}`);
      this.classesByUid.set(category.uid * 1000 + cls.uid, cls);
    }
  }

  /** The compiled class with this class_uid. */
  classByUid(uid: number): ItemDef | undefined {
    return this.classesByUid.get(uid);
  }

  private rawItem(kind: 'event' | 'object', name: string): Raw {
    if (kind === 'event') {
      const raw = this.rawEvents.get(name);
      if (!raw) throw new Error(`OCSF schema: no class named ${name}`);
      return raw;
    }
    const file = path.join(this.dir, 'objects', `${name}.json`);
    if (!fs.existsSync(file)) {
      throw new Error(
        `OCSF schema: object ${name} is not in ${this.dir} (a trimmed copy must list it in its vendoring script)`,
      );
    }
    return readJson(file);
  }

  private resolve(kind: 'event' | 'object', name: string): ItemDef {
    const key = `${kind}:${name}`;
    const cached = this.resolved.get(key);
    if (cached) return cached;
    const raw = this.rawItem(kind, name);
    const own = this.withIncludes(raw);
    let merged: Raw = own;
    if (typeof raw.extends === 'string') {
      const parent = this.resolve(kind, raw.extends) as unknown as Raw;
      const { caption: _c, uid: _u, name: _n, ...inherited } = parent;
      merged = deepMerge(inherited, own);
    }
    const item = merged as unknown as ItemDef;
    item.attributes ??= {};
    this.resolved.set(key, item);
    return item;
  }

  /** The item with its `$include`d profile attributes merged under its own, tagged with their profile. */
  private withIncludes(raw: Raw): Raw {
    const attributes = { ...((raw.attributes as Raw | undefined) ?? {}) };
    const includes = (attributes.$include as string[] | undefined) ?? [];
    delete attributes.$include;
    let base: Raw = {};
    for (const include of includes) {
      const profile = readJson(path.join(this.dir, include));
      const tagged = Object.fromEntries(
        Object.entries(profile.attributes as Raw).map(([k, v]) => [
          k,
          profile.meta === 'profile' ? { ...(v as Raw), profile: profile.name } : v,
        ]),
      );
      base = deepMerge(base, tagged);
    }
    return { ...raw, attributes: deepMerge(base, attributes) };
  }

  /** An attribute's definition laid over its dictionary entry. */
  private attribute(name: string, def: AttributeDef): AttributeDef {
    const dict = this.dictionary[name];
    if (!dict) throw new Error(`OCSF schema: attribute ${name} is not in dictionary.json`);
    return deepMerge(dict as Raw, def as Raw);
  }

  /** Every problem of an OCSF record; empty when it is valid. */
  validate(record: unknown): string[] {
    const errors: string[] = [];
    if (!isPlainObject(record)) return ['record: must be an object'];
    const cls =
      typeof record.class_uid === 'number' ? this.classByUid(record.class_uid) : undefined;
    if (!cls)
      return [`class_uid: no OCSF ${this.version} class has uid ${String(record.class_uid)}`];
    const metadata = isPlainObject(record.metadata) ? record.metadata : {};
    const profiles = Array.isArray(metadata.profiles) ? (metadata.profiles as string[]) : [];
    for (const p of profiles) {
      if (!this.profileNames.has(p)) errors.push(`metadata.profiles: unknown profile ${p}`);
    }
    this.validateItem(record, cls, '', new Set(profiles), errors, true);
    this.validateClassification(record, cls, errors);
    if (metadata.version !== this.version) {
      errors.push(
        `metadata.version: ${String(metadata.version)} is not the schema version ${this.version}`,
      );
    }
    return errors;
  }

  private validateClassification(record: Raw, cls: ItemDef, errors: string[]): void {
    const category = this.categories[cls.category!]!;
    const expect = (attr: string, value: unknown) => {
      if (record[attr] !== value) {
        errors.push(
          `${attr}: expected ${JSON.stringify(value)}, got ${JSON.stringify(record[attr])}`,
        );
      }
    };
    expect('category_uid', category.uid);
    expect('category_name', category.caption);
    expect('class_name', cls.caption);
    const activityId = record.activity_id;
    if (typeof activityId === 'number') {
      expect('type_uid', (record.class_uid as number) * 100 + activityId);
      const activity = this.attribute('activity_id', cls.attributes.activity_id!).enum?.[
        String(activityId)
      ];
      if (activity) expect('type_name', `${cls.caption}: ${activity.caption}`);
    }
  }

  private validateItem(
    value: Raw,
    def: ItemDef,
    at: string,
    profiles: Set<string>,
    errors: string[],
    isClass = false,
  ): void {
    const visible = Object.entries(def.attributes).filter(
      ([, a]) => !a.profile || profiles.has(a.profile),
    );
    const allowed = new Map(visible);
    if (Object.keys(def.attributes).length > 0) {
      for (const key of Object.keys(value)) {
        if (allowed.has(key)) continue;
        const hidden = def.attributes[key];
        errors.push(
          hidden
            ? `${join(at, key)}: attribute of profile ${hidden.profile}, which metadata.profiles does not list`
            : `${join(at, key)}: not an attribute of ${isClass ? 'class' : 'object'} ${def.name}`,
        );
      }
    }
    for (const [name, own] of allowed) {
      const p = join(at, name);
      const v = value[name];
      if (v === undefined) {
        if (own.requirement === 'required') errors.push(`${p}: required by ${def.name}`);
        continue;
      }
      const attr = this.attribute(name, own);
      if (attr['@deprecated']) errors.push(`${p}: deprecated`);
      if (v === null) {
        errors.push(`${p}: null (leave the attribute out instead)`);
        continue;
      }
      if (attr.is_array) {
        if (!Array.isArray(v)) {
          errors.push(`${p}: must be an array of ${attr.type}`);
          continue;
        }
        v.forEach((el, i) => this.validateValue(el, attr, `${p}[${i}]`, profiles, errors));
      } else {
        this.validateValue(v, attr, p, profiles, errors);
      }
      const classification = isClass && ['class_uid', 'category_uid', 'type_uid'].includes(name);
      if (attr.enum && !classification) this.validateEnum(value, name, attr, at, errors);
    }
    for (const [kind, names] of Object.entries(def.constraints ?? {})) {
      const present = names.filter((n) => value[n] !== undefined).length;
      if (kind === 'at_least_one' && present === 0) {
        errors.push(`${at || '(record)'}: ${def.name} needs at least one of ${names.join(', ')}`);
      } else if (kind === 'just_one' && present !== 1) {
        errors.push(`${at || '(record)'}: ${def.name} needs exactly one of ${names.join(', ')}`);
      } else if (kind !== 'at_least_one' && kind !== 'just_one') {
        errors.push(`${at || '(record)'}: unknown constraint ${kind} of ${def.name}`);
      }
    }
  }

  private validateEnum(
    item: Raw,
    name: string,
    attr: AttributeDef,
    at: string,
    errors: string[],
  ): void {
    const raw = item[name];
    if (attr.is_array && !Array.isArray(raw)) return;
    const values = attr.is_array ? (raw as unknown[]) : [raw];
    for (const v of values) {
      const entry = attr.enum![String(v)];
      const p = join(at, name);
      if (!entry) {
        errors.push(
          `${p}: ${JSON.stringify(v)} is not one of ${Object.keys(attr.enum!).join(', ')}`,
        );
        continue;
      }
      if (entry['@deprecated']) errors.push(`${p}: value ${JSON.stringify(v)} is deprecated`);
      const sibling = attr.sibling;
      if (!sibling || attr.is_array || item[sibling] === undefined) continue;
      if (v === 99) {
        if (item[sibling] === entry.caption) {
          errors.push(
            `${join(at, sibling)}: should hold the source's own word for ${p} 99, not "Other"`,
          );
        }
      } else if (item[sibling] !== entry.caption) {
        errors.push(
          `${join(at, sibling)}: ${JSON.stringify(item[sibling])} is not the caption ${JSON.stringify(entry.caption)} of ${p} ${String(v)}`,
        );
      }
    }
  }

  private validateValue(
    v: unknown,
    attr: AttributeDef,
    p: string,
    profiles: Set<string>,
    errors: string[],
  ): void {
    const typeName = attr.type!;
    const type = this.types[typeName];
    if (!type) {
      if (!isPlainObject(v)) {
        errors.push(`${p}: must be a ${typeName} object`);
        return;
      }
      this.usedObjects.add(typeName);
      this.validateItem(v, this.resolve('object', typeName), p, profiles, errors);
      return;
    }
    const base = type.type ?? typeName;
    const fail = (what: string) =>
      errors.push(`${p}: must be ${what} (${typeName}), got ${JSON.stringify(v)}`);
    switch (base) {
      case 'boolean_t':
        if (typeof v !== 'boolean') fail('a boolean');
        break;
      case 'integer_t':
        if (!Number.isInteger(v) || (v as number) < -(2 ** 31) || (v as number) >= 2 ** 31)
          fail('a 32-bit integer');
        break;
      case 'long_t':
        if (!Number.isSafeInteger(v)) fail('an integer');
        break;
      case 'float_t':
        // The OCSF server reads JSON 2 as an integer and rejects it for float_t.
        if (typeof v !== 'number' || Number.isInteger(v)) fail('a non-integral number');
        break;
      case 'string_t':
        if (typeof v !== 'string') {
          fail('a string');
          break;
        }
        if (type.max_len !== undefined && v.length > type.max_len)
          fail(`at most ${type.max_len} characters`);
        if (type.regex && !new RegExp(type.regex).test(v)) fail(`a string matching ${type.regex}`);
        break;
      case 'json_t':
        break;
      default:
        errors.push(`${p}: schema type ${typeName} has unknown base ${base}`);
        return;
    }
    const range = type.range ?? (type.type ? this.types[type.type]?.range : undefined);
    if (range && typeof v === 'number' && (v < range[0] || v > range[1]))
      fail(`within ${range[0]}–${range[1]}`);
    const allowedValues = type.values ?? (type.type ? this.types[type.type]?.values : undefined);
    if (allowedValues && !allowedValues.includes(v))
      fail(`one of ${JSON.stringify(allowedValues)}`);
  }
}

function join(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}
