import { Type } from 'avsc';
import { ContractValidationError, DecodeError, type FieldError } from './errors';
import { rabinFingerprint } from './fingerprint';
import { schemaFiles, latestSchemaVersion } from './generated/schemas';
import type { ApiKey, Invocation, PiiFinding } from './generated/schemas';
import { normalizeValue } from './normalize';

/** Avro single-object encoding marker (spec: "Single-object encoding"). */
const MAGIC = Buffer.from([0xc3, 0x01]);
const HEADER_LENGTH = MAGIC.length + 8;

export type RecordKind = keyof typeof latestSchemaVersion;

interface WriterSchema {
  kind: RecordKind;
  version: number;
  type: Type;
  fingerprint: Buffer;
}

function parseType(schema: unknown): Type {
  return Type.forSchema(schema as Parameters<typeof Type.forSchema>[0], { wrapUnions: false });
}

/** Every schema version in `schemas/`, by fingerprint, so a reader knows any writer. */
const writers = new Map<string, WriterSchema>();
for (const [key, schema] of Object.entries(schemaFiles)) {
  const [kind, v] = key.split('.v') as [RecordKind, string];
  const type = parseType(schema);
  const fingerprint = rabinFingerprint(JSON.stringify(type.schema()));
  writers.set(fingerprint.toString('hex'), { kind, version: Number(v), type, fingerprint });
}

/**
 * Encodes and decodes one record kind: writes the newest schema version,
 * reads any version of `schemas/` (resolving it into the newest), and
 * validates JSON input with field-level messages.
 */
export class EventCodec<T> {
  readonly type: Type;
  readonly fingerprint: Buffer;
  private readonly resolvers = new Map<string, ReturnType<Type['createResolver']>>();
  /** `C3 01` and the fingerprint: the first bytes of every record this codec writes. */
  private readonly header: Buffer;
  /** Where records are encoded before being copied out (grows to the largest record seen). */
  private scratch: Buffer;

  constructor(
    readonly kind: RecordKind,
    readerSchema: unknown = (schemaFiles as Record<string, unknown>)[
      `${kind}.v${latestSchemaVersion[kind]}`
    ],
  ) {
    this.type = parseType(readerSchema);
    this.fingerprint = rabinFingerprint(JSON.stringify(this.type.schema()));
    this.header = Buffer.concat([MAGIC, this.fingerprint]);
    this.scratch = Buffer.allocUnsafe(64 * 1024);
    this.header.copy(this.scratch, 0);
    for (const [hex, writer] of writers) {
      if (writer.kind !== kind) continue;
      this.resolvers.set(hex, this.type.createResolver(writer.type));
    }
  }

  /** Frames a valid record: `C3 01`, the 8-byte schema fingerprint, the Avro binary body. */
  encode(value: T): Buffer {
    // avsc's compiled check first; the paths of what is wrong only when something is.
    if (!this.type.isValid(value)) {
      const errors: FieldError[] = [];
      this.type.isValid(value, {
        errorHook: (path: string[]) =>
          errors.push({ path: path.join('.'), message: 'does not match the schema' }),
      });
      throw new ContractValidationError(this.kind, errors);
    }
    // Header and body written into one scratch buffer, then copied out once.
    let end = this.type.encode(value, this.scratch, HEADER_LENGTH);
    while (end < 0) {
      // avsc answers how many bytes were missing, as a negative number.
      this.scratch = Buffer.allocUnsafe(2 * (this.scratch.length - end));
      this.header.copy(this.scratch, 0);
      end = this.type.encode(value, this.scratch, HEADER_LENGTH);
    }
    const out = Buffer.allocUnsafe(end);
    this.scratch.copy(out, 0, 0, end);
    return out;
  }

  /** Reads a framed record written with any known version of this kind. */
  decode(buf: Buffer): T {
    if (buf.length < HEADER_LENGTH || buf[0] !== MAGIC[0] || buf[1] !== MAGIC[1]) {
      throw new DecodeError(
        `not an Avro single-object encoded ${this.kind} (bad or missing C3 01 header)`,
      );
    }
    const hex = buf.subarray(2, HEADER_LENGTH).toString('hex');
    const resolver = this.resolvers.get(hex);
    if (!resolver) {
      throw new DecodeError(`unknown ${this.kind} writer schema fingerprint ${hex}`);
    }
    try {
      return this.type.fromBuffer(buf.subarray(HEADER_LENGTH), resolver) as T;
    } catch (err) {
      throw new DecodeError(`corrupt ${this.kind} body: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Validates JSON input against the contract and fills defaults; throws with every field error.
   * With `inPlace`, completes `input` itself instead of copying it: only for input the caller
   * owns and drops on error (a parsed request body).
   */
  fromJson(input: unknown, opts: { inPlace?: boolean } = {}): T {
    const errors: FieldError[] = [];
    const value = normalizeValue(this.type, input, '', errors, opts);
    if (errors.length > 0) throw new ContractValidationError(this.kind, errors);
    return value as T;
  }
}

export const invocationCodec = new EventCodec<Invocation>('invocation');
export const piiFindingCodec = new EventCodec<PiiFinding>('pii-finding');
export const apiKeyCodec = new EventCodec<ApiKey>('api-key');
export const securityEventCodec = new EventCodec<import('./generated/schemas').SecurityEvent>(
  'security-event',
);
export const budgetEventCodec = new EventCodec<import('./generated/schemas').BudgetEvent>(
  'budget-event',
);
export const budgetCodec = new EventCodec<import('./generated/schemas').Budget>('budget');
export const gatewayEntryCodec = new EventCodec<import('./generated/schemas').GatewayEntry>(
  'gateway-entry',
);
export const guardrailRuleCodec = new EventCodec<import('./generated/schemas').GuardrailRuleEntry>(
  'guardrail-rule',
);
export const guardrailFindingCodec = new EventCodec<import('./generated/schemas').GuardrailFinding>(
  'guardrail-finding',
);
