import { StackConfigError } from '../errors';

export interface ClickHouseConfigValues {
  httpPort: number;
  tcpPort: number;
  /** Data, tmp, user_files, format_schemas and preprocessed configs. */
  dataDir: string;
  logDir: string;
  /** Absolute path of the users file (deploy/local/clickhouse/users.xml). */
  usersConfig: string;
}

const PLACEHOLDER = /\{\{([A-Z_]+)\}\}/g;

/**
 * Fills the `{{NAME}}` placeholders of the project's ClickHouse config template
 * (deploy/local/clickhouse/config.xml). Every placeholder must be known: a typo in the
 * template fails here rather than as a puzzling server start.
 */
export function renderClickHouseConfig(template: string, values: ClickHouseConfigValues): string {
  const substitutions: Record<string, string> = {
    HTTP_PORT: String(values.httpPort),
    TCP_PORT: String(values.tcpPort),
    DATA_DIR: stripTrailingSlash(values.dataDir),
    LOG_DIR: stripTrailingSlash(values.logDir),
    USERS_CONFIG: values.usersConfig,
  };
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = substitutions[name];
    if (value === undefined) {
      throw new StackConfigError(
        `The ClickHouse config template has an unknown placeholder {{${name}}}`,
        {
          component: 'clickhouse',
        },
      );
    }
    return escapeXml(value);
  });
}

function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function stripTrailingSlash(dir: string): string {
  return dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
}
