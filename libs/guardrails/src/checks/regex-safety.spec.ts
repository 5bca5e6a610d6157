import { checkSync } from 'recheck';
import { regexSafetyProblem } from './regex-safety';

// The real analysis, counted.
jest.mock('recheck', () => {
  const actual = jest.requireActual<typeof import('recheck')>('recheck');
  return { ...actual, checkSync: jest.fn(actual.checkSync) };
});

describe('regexSafetyProblem', () => {
  it.each([
    ['(a+)+$', 'nested repetition'],
    ['(a|a)*$', 'an ambiguous alternation that star-height checks miss'],
    ['(a|aa)+$', 'overlapping alternatives'],
    ['^(\\w+\\s?)*$', 'the classic word-list pattern'],
    ['\\d+\\d+\\d+$', 'a polynomial (cubic) blow-up'],
    ['^\\s+|\\s+$', 'a quadratic trim'],
  ])('refuses %s (%s)', (source) => {
    expect(regexSafetyProblem(source, '')).toMatch(/backtrack/);
  });

  it.each([
    ['\\bignore (all )?previous instructions\\b', ''],
    ['sk-[A-Za-z0-9]{20,}', ''],
    ['\\b\\d{3}-\\d{2}-\\d{4}\\b', ''],
    ['AKIA[0-9A-Z]{16}', ''],
    ['^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$', 'i'],
  ])('accepts the linear pattern %s', (source, flags) => {
    expect(regexSafetyProblem(source, flags)).toBeNull();
  });

  it('analyses a pattern once per process', () => {
    const calls = jest.mocked(checkSync).mock.calls.length;
    regexSafetyProblem('secret-[0-9]{4}', '');
    regexSafetyProblem('secret-[0-9]{4}', '');
    expect(jest.mocked(checkSync).mock.calls.length).toBe(calls + 1);
  });
});
