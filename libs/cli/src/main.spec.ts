import { main, usage } from './main';
import { piiHelp } from './commands/pii';
import { siemHelp } from './commands/siem';

/** Runs main with stdout and stderr captured. */
async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('main', () => {
  it('prints the usage and exits 2 when no command is given', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stdout).toBe(`${usage}\n`);
    expect(stderr).toBe('');
  });

  it.each(['--help', '-h', 'help'])('prints the usage and exits 0 for %s', async (flag) => {
    const { code, stdout } = await run([flag]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${usage}\n`);
  });

  it('lists every command in the usage', () => {
    expect(usage).toMatch(/^llmops: the LLM gateway and audit pipeline\n\nusage: llmops <command>/);
    for (const command of [
      'start',
      'test',
      'stack',
      'keys',
      'topics',
      'dlq',
      'migrate',
      'pii',
      'siem',
      'upstreams',
      'routes',
      'guardrails',
    ])
      expect(usage).toContain(`llmops ${command}`);
    expect(usage).toContain(piiHelp);
    expect(usage).toContain(siemHelp);
  });

  it('names an unknown command on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await run(['frobnicate', '--now']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe("llmops: unknown command 'frobnicate'; run `npx llmops --help`\n");
  });

  it('prints only the help of a command given --help, without running it', async () => {
    const { code, stdout } = await run(['siem', 'format', '--format', 'xml', '--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${siemHelp}\n`);
  });

  it('prints a usage error with the command name and exits 2', async () => {
    const { code, stdout, stderr } = await run(['siem', 'format', '--format', 'xml']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('llmops siem format: --format must be one of ocsf, cef, ecs, syslog\n');
  });

  it('turns an unknown option into a usage error naming the subcommand', async () => {
    const { code, stderr } = await run(['pii', 'scan', '--colour']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^llmops pii scan: .*'--colour'/);
  });

  it('reports an invalid environment variable by name and exits 2', async () => {
    const saved = process.env.INGRESS_PORT;
    process.env.INGRESS_PORT = 'eighty';
    try {
      const { code, stderr } = await run(['siem', 'format']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^llmops: invalid configuration:\n {2}- INGRESS_PORT: .*got "eighty"/);
    } finally {
      if (saved === undefined) delete process.env.INGRESS_PORT;
      else process.env.INGRESS_PORT = saved;
    }
  });
});
