import { z } from 'zod';

/** A configuration value that is missing or malformed; start-up must stop. */
export class ConfigError extends Error {
  readonly retriable = false;
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment once against a zod object whose keys
 * are the variable names. Every problem is reported at once, each with the
 * variable's name, what is wrong and the expected format (the schema's
 * `.describe()` text).
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const raw = env[key];
    input[key] = raw === '' ? undefined : raw;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(config)');
    const field = schema.shape[name] as z.ZodType | undefined;
    const expected = field?.description ? ` (expected ${field.description})` : '';
    const value = input[name];
    const got =
      value === undefined ? 'it is not set' : `got ${JSON.stringify(redactIfSecret(name, value))}`;
    return `${name}: ${issue.message}; ${got}${expected}`;
  });
  throw new ConfigError(problems);
}

function redactIfSecret(name: string, value: string): string {
  if (/KEY|SECRET|PASSWORD|TOKEN/i.test(name)) return `<${value.length} characters>`;
  // A URL may carry credentials (redis://user:pass@host): never echo them.
  return value.replace(/\/\/[^/?#\s]*@/, '//<credentials>@');
}

/** Typed read access to a loaded configuration (one per service). */
export class ConfigService<T extends object> {
  constructor(private readonly values: Readonly<T>) {}

  get<K extends keyof T>(key: K): T[K] {
    return this.values[key];
  }
}

/** Shared field builders, so every service reads the same variable the same way. */
export const env = {
  /** An integer within bounds, from a string. */
  int(min: number, max: number, fallback: number) {
    return z.coerce
      .number()
      .int()
      .min(min)
      .max(max)
      .default(fallback)
      .describe(`an integer from ${min} to ${max}, default ${fallback}`);
  },
  /** A `host:port[,host:port…]` list. */
  brokers(fallback: string) {
    return z
      .string()
      .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'is not a host:port list')
      .default(fallback)
      .transform((s) => s.split(','))
      .describe(`a comma-separated host:port list, default ${fallback}`);
  },
  url(fallback: string, protocols: string[]) {
    return z
      .string()
      .refine(
        (s) => {
          try {
            return protocols.includes(new URL(s).protocol.replace(/:$/, ''));
          } catch {
            return false;
          }
        },
        `is not a ${protocols.join('/')} URL`,
      )
      .default(fallback)
      .describe(`a ${protocols.join(' or ')} URL, default ${fallback}`);
  },
  enumOf<const V extends readonly [string, ...string[]]>(values: V, fallback: V[number]) {
    return z
      .enum(values)
      .default(fallback as never)
      .describe(`one of ${values.join(', ')}, default ${fallback}`);
  },
  name(fallback: string) {
    return z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'may only contain letters, digits, dot, underscore and dash')
      .default(fallback)
      .describe(`a name of letters, digits, '.', '_' or '-', default ${fallback}`);
  },
  secret(minLength: number) {
    return z
      .string()
      .min(minLength, `must be at least ${minLength} characters`)
      .describe(`a secret of at least ${minLength} characters`);
  },
};
