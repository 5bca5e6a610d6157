/** The servers the local stack runs. */
export type StackComponent = 'kafka' | 'clickhouse' | 'redis';

interface StackErrorOptions {
  component?: StackComponent;
  retriable?: boolean;
  cause?: unknown;
}

/** Base class of every error this library throws. */
export class StackError extends Error {
  /** True when trying again later may succeed (a server still starting, a busy lock). */
  readonly retriable: boolean;
  readonly component: StackComponent | undefined;

  constructor(message: string, options: StackErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
    this.component = options.component;
  }
}

/** An option or `LLMOPS_STACK_*` variable has an invalid value. */
export class StackConfigError extends StackError {}

/** A port the stack needs is held by a process that is not the stack's own server. */
export class PortInUseError extends StackError {
  constructor(
    readonly port: number,
    component: StackComponent,
    detail: string,
  ) {
    super(
      `${componentLabel(component)} cannot start: 127.0.0.1:${port} is taken by something that is not this stack's ` +
        `${componentLabel(component)} (${detail}). Stop it, or choose other ports ` +
        `(options.ports or LLMOPS_STACK_* variables). To see who holds it: ss -ltnp 'sport = :${port}'`,
      { component },
    );
  }
}

/** A server did not answer its readiness checks in time, or exited while starting. */
export class ComponentNotReadyError extends StackError {
  constructor(
    component: StackComponent,
    readonly port: number,
    readonly logFiles: readonly string[],
    problem: string,
    options: { cause?: unknown; retriable?: boolean } = {},
  ) {
    super(
      `${componentLabel(component)} on 127.0.0.1:${port} ${problem}. Read ${logFiles.join(' and ')}`,
      { component, retriable: options.retriable ?? true, cause: options.cause },
    );
  }
}

/** A program the stack needs is missing and could not be installed or resolved. */
export class InstallError extends StackError {}

/** A program the stack ran (Maven, apt-get, the storage formatter…) failed. */
export class CommandError extends StackError {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly output: string,
    options: { cause?: unknown } = {},
  ) {
    super(`\`${command}\` failed (exit ${exitCode ?? 'signal'}):\n${tail(output, 40)}`, options);
  }
}

export function componentLabel(component: StackComponent): string {
  return { kafka: 'Kafka', clickhouse: 'ClickHouse', redis: 'Redis' }[component];
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
