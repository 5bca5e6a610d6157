import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { findPlaceholders, splitStatements } from '../sql-script';
import { MigrationError } from './migration-errors';

/** One `NNNN_name.sql` file of a migrations folder. */
export interface Migration {
  /** The number before the first underscore, e.g. 1 for `0001_invocations.sql`. */
  version: number;
  /** The part after it, e.g. `invocations`. */
  name: string;
  /** The file name. */
  file: string;
  /** The statements, comments removed, `{{database}}` not yet rendered. */
  statements: string[];
  /**
   * SHA-256 (hex) of the statements as split, so editing comments or blank
   * lines keeps an applied migration valid while any change to the SQL does not.
   */
  checksum: string;
}

const MIGRATION_FILE = /^(\d{4})_([A-Za-z0-9_]+)\.sql$/;

/**
 * Reads and checks every migration of a folder, ordered by version: names must
 * be `NNNN_name.sql`, versions unique, every statement must name its tables
 * through `{{database}}` (and use no other placeholder). Files that do not end
 * in `.sql` (a README) are ignored.
 */
export async function loadMigrations(migrationsDir: string): Promise<Migration[]> {
  let entries: string[];
  try {
    entries = await readdir(migrationsDir);
  } catch (cause) {
    throw new MigrationError(`cannot read the migrations folder ${migrationsDir}`, { cause });
  }
  const migrations: Migration[] = [];
  for (const file of entries.filter((f) => f.endsWith('.sql')).sort()) {
    const m = MIGRATION_FILE.exec(file);
    if (!m) {
      throw new MigrationError(
        `${path.join(migrationsDir, file)}: migration files are named NNNN_name.sql ` +
          '(four digits, an underscore, letters, digits or underscores)',
      );
    }
    const text = await readFile(path.join(migrationsDir, file), 'utf8');
    migrations.push(parseMigration(file, Number(m[1]), m[2]!, text));
  }
  const seen = new Map<number, string>();
  for (const mig of migrations) {
    const other = seen.get(mig.version);
    if (other) {
      throw new MigrationError(`${other} and ${mig.file} have the same version ${mig.version}`);
    }
    seen.set(mig.version, mig.file);
  }
  return migrations.sort((a, b) => a.version - b.version);
}

/** Splits and checks one migration's text. Exported for tests. */
export function parseMigration(
  file: string,
  version: number,
  name: string,
  text: string,
): Migration {
  let statements: string[];
  try {
    statements = splitStatements(text, file);
  } catch (cause) {
    throw new MigrationError(`${file}: ${(cause as Error).message}`, { cause });
  }
  if (statements.length === 0) throw new MigrationError(`${file} holds no statement`);
  statements.forEach((statement, i) => {
    const placeholders = findPlaceholders(statement, file);
    const other = placeholders.find((p) => p.name !== 'database' || p.type !== undefined);
    if (other) {
      throw new MigrationError(
        `${file}, statement ${i + 1}: unknown placeholder {{${other.name}${other.type ? `:${other.type}` : ''}}} ` +
          '(migrations may only use {{database}})',
      );
    }
    if (placeholders.length === 0) {
      throw new MigrationError(
        `${file}, statement ${i + 1} names no {{database}}: qualify every table as ` +
          '{{database}}.<table> so each deployment and test applies it to its own database',
      );
    }
  });
  const checksum = createHash('sha256').update(statements.join(';\n')).digest('hex');
  return { version, name, file, statements, checksum };
}
