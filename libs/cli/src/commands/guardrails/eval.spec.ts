import { UsageError } from '../../args';
import { parseEvalArgs } from './eval';

describe('guardrails eval arguments', () => {
  it('takes rules, several datasets, a split, rules to score and the gates', () => {
    expect(
      parseEvalArgs([
        '--rules',
        'r.yaml',
        '--dataset',
        'a.jsonl',
        '--dataset',
        'b.jsonl',
        '--split',
        'test',
        '--rule',
        'prompt-injection',
        '--min-precision',
        '0.9',
        '--min-recall',
        '0.8',
        '--json',
      ]),
    ).toEqual({
      rules: 'r.yaml',
      datasets: ['a.jsonl', 'b.jsonl'],
      json: true,
      maxMisses: 25,
      options: { split: 'test', only: ['prompt-injection'], minPrecision: 0.9, minRecall: 0.8 },
    });
  });

  it.each([
    [['--dataset', 'a'], '--rules FILE is required'],
    [['--rules', 'r'], '--dataset FILE is required'],
    [
      ['--rules', 'r', '--dataset', 'a', '--min-recall', '85'],
      '--min-recall must be a number from 0 to 1',
    ],
    [
      ['--rules', 'r', '--dataset', 'a', '--min-precision', 'high'],
      "--min-precision must be a number from 0 to 1 (got 'high')",
    ],
    [['--rules', 'r', '--dataset', 'a', 'extra'], "unexpected argument 'extra'"],
    [
      ['--rules', 'r', '--dataset', 'a', '--max-misses', '2.5'],
      '--max-misses must be a whole number',
    ],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseEvalArgs(argv)).toThrow(UsageError);
    expect(() => parseEvalArgs(argv)).toThrow(message);
  });
});
