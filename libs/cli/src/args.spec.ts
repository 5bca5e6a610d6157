import { parse, required, UsageError } from './args';

describe('parse', () => {
  const options = {
    name: { type: 'string' as const },
    force: { type: 'boolean' as const, default: false },
  };

  it('returns options and positionals', () => {
    expect(parse('keys create', ['tenant-a', '--name', 'ci', '--force'], options)).toEqual({
      values: { name: 'ci', force: true },
      positionals: ['tenant-a'],
    });
  });

  it('fills defaults', () => {
    expect(parse('keys create', [], options).values).toEqual({ force: false });
  });

  it.each([
    ['an unknown option', ['--nmae', 'ci'], /'--nmae'/],
    ['a string option without its value', ['--name'], /--name/],
    ['a value given to a boolean option', ['--force=yes'], /--force/],
  ])('turns %s into a UsageError naming the command', (_what, argv, detail) => {
    let thrown: unknown;
    try {
      parse('keys create', argv, options);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).name).toBe('UsageError');
    expect((thrown as UsageError).message).toMatch(/^keys create: /);
    expect((thrown as UsageError).message).toMatch(detail);
  });
});

describe('required', () => {
  it('returns a given string value', () => {
    expect(required('keys create', 'tenant', 't1')).toBe('t1');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['a boolean', true],
  ])('refuses a %s value, naming the command and the option', (_what, value) => {
    expect(() => required('keys create', 'tenant', value)).toThrow(
      new UsageError('keys create: --tenant is required'),
    );
  });
});
