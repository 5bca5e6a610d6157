/** A migration that cannot be loaded, verified or applied. */
export class MigrationError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'MigrationError';
    this.retriable = options.retriable ?? false;
  }
}

/** An applied migration whose file changed since: never retriable, restore the file or add a new migration. */
export class MigrationChecksumError extends MigrationError {
  constructor(
    readonly version: number,
    readonly file: string,
    readonly appliedChecksum: string,
    readonly currentChecksum: string,
  ) {
    super(
      `migration ${file} was applied with checksum ${appliedChecksum} but the file now has ` +
        `${currentChecksum}: applied migrations must not change; restore the file and put the ` +
        'change in a new migration',
    );
    this.name = 'MigrationChecksumError';
  }
}

/** Another runner held the migration lock for longer than the wait allowed: retriable. */
export class MigrationLockTimeoutError extends MigrationError {
  constructor(database: string, owner: string | undefined, waitedMs: number) {
    super(
      `gave up after ${waitedMs} ms waiting for the migration lock of database ${database}` +
        (owner ? ` held by ${owner}` : ''),
      { retriable: true },
    );
    this.name = 'MigrationLockTimeoutError';
  }
}
