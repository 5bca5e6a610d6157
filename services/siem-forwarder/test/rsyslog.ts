// Test helper: a real syslog collector (Debian's rsyslogd) on a loopback
// port, writing the fields it parsed from each message as JSON lines.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '@llmops/testing';

/** The fields rsyslog parsed from one RFC 5424 message. */
export interface CollectedMessage {
  app: string;
  msgid: string;
  sd: string;
  msg: string;
  host: string;
  pri: string;
}

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

/** A free loopback TCP port (the OS picks it; a test run owns it from then on). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const FIELDS = [
  'app:app-name',
  'msgid:msgid',
  'sd:structured-data',
  'msg:msg',
  'host:hostname',
  'pri:pri',
];

function config(dir: string, port: number, out: string, tls?: TlsFiles): string {
  const template = FIELDS.map((f, i) => {
    const [name, prop] = f.split(':');
    const lead = i === 0 ? '{' : ',';
    return `constant(value="${lead}\\"${name}\\":\\"") property(name="${prop}" format="json") constant(value="\\"")`;
  }).join('\n  ');
  const global = tls
    ? `global(workDirectory="${dir}" defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="${tls.ca}" defaultNetstreamDriverCertFile="${tls.cert}" defaultNetstreamDriverKeyFile="${tls.key}")`
    : `global(workDirectory="${dir}")`;
  const imtcp = tls
    ? 'module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")'
    : 'module(load="imtcp")';
  return `${global}
${imtcp}
template(name="fields" type="list") {
  ${template}
  constant(value="}\\n")
}
ruleset(name="collect") {
  action(type="omfile" file="${out}" template="fields")
}
input(type="imtcp" address="127.0.0.1" port="${port}" ruleset="collect")
`;
}

/** rsyslogd in the foreground with a generated config, listening on 127.0.0.1:`port`. */
export class Rsyslog {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-rsyslog-'));
  readonly out = path.join(this.dir, 'out.jsonl');
  private child: ChildProcess | undefined;
  private stderr = '';

  constructor(
    readonly port: number,
    private readonly tls?: TlsFiles,
  ) {}

  async start(): Promise<this> {
    const conf = path.join(this.dir, 'rsyslog.conf');
    fs.writeFileSync(conf, config(this.dir, this.port, this.out, this.tls));
    const child = spawn('rsyslogd', ['-n', '-f', conf, '-i', path.join(this.dir, 'rsyslog.pid')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (c: Buffer) => (this.stderr += c.toString()));
    await waitFor(
      `rsyslogd to listen on 127.0.0.1:${this.port}`,
      () => {
        if (child.exitCode !== null) throw new Error(`rsyslogd exited: ${this.stderr}`);
        return listening(this.port);
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    return this;
  }

  /** Every message written so far. */
  messages(): CollectedMessage[] {
    if (!fs.existsSync(this.out)) return [];
    return fs
      .readFileSync(this.out, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as CollectedMessage);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }

  cleanUp(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A test CA and a collector certificate for 127.0.0.1/localhost it signed, made with openssl. */
export async function makeTestCa(dir: string): Promise<TlsFiles> {
  const { execFileSync } = await import('node:child_process');
  const f = (n: string) => path.join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=llmops test CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
  );
  fs.writeFileSync(
    f('ext.cnf'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
    '-out',
    f('server.pem'),
  );
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}
