import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StackConfigError } from '../errors';
import { renderClickHouseConfig } from './config';

const values = {
  httpPort: 18123,
  tcpPort: 19000,
  dataDir: '/cache/clickhouse/data/',
  logDir: '/cache/clickhouse/log',
  usersConfig: '/repo/deploy/local/clickhouse/users.xml',
};

describe('renderClickHouseConfig', () => {
  it('fills ports and paths and escapes XML', () => {
    const out = renderClickHouseConfig(
      '<a>{{HTTP_PORT}}</a><b>{{DATA_DIR}}/tmp/</b><c>{{USERS_CONFIG}}</c>',
      {
        ...values,
        usersConfig: '/r&d/users.xml',
      },
    );
    expect(out).toBe('<a>18123</a><b>/cache/clickhouse/data/tmp/</b><c>/r&amp;d/users.xml</c>');
  });

  it('fails on a placeholder it does not know', () => {
    expect(() => renderClickHouseConfig('<x>{{NOPE}}</x>', values)).toThrow(StackConfigError);
  });

  it("renders the project's template into a loopback-only config with everything under the cache", () => {
    const template = readFileSync(
      path.join(__dirname, '../../../../deploy/local/clickhouse/config.xml'),
      'utf8',
    );
    const out = renderClickHouseConfig(template, values);
    expect(out).not.toMatch(/\{\{[A-Z_]+\}\}/);
    expect(out).toContain('<yandex>');
    expect(out).toContain('<listen_host>127.0.0.1</listen_host>');
    expect(out).toContain('<http_port>18123</http_port>');
    expect(out).toContain('<tcp_port>19000</tcp_port>');
    expect(out).toContain('<path>/cache/clickhouse/data/</path>');
    expect(out).toContain('<tmp_path>/cache/clickhouse/data/tmp/</tmp_path>');
    expect(out).toContain('<log>/cache/clickhouse/log/clickhouse-server.log</log>');
    expect(out).toContain('<users_config>/repo/deploy/local/clickhouse/users.xml</users_config>');
    expect(out).not.toMatch(/listen_host>(0\.0\.0\.0|::)</);
  });
});
