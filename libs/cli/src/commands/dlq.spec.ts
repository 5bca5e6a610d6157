import type { DeadLetterRecord } from '@llmops/kafka';
import { UsageError } from '../args';
import { listLine, parseDlqArgs, printable } from './dlq';

const NOW = Date.UTC(2025, 0, 2, 12, 0, 0);

describe('parseDlqArgs', () => {
  it('reads the selection of list and replay', () => {
    expect(
      parseDlqArgs(
        [
          'replay',
          '--topic',
          'llmops.invocations.v1',
          '--since',
          '1h',
          '--where',
          'reason=tokens',
          '--where',
          'class=DecodeError',
          '--dry-run',
        ],
        NOW,
      ),
    ).toEqual({
      sub: 'replay',
      topic: 'llmops.invocations.v1',
      filter: { sinceMs: NOW - 3_600_000, reason: 'tokens', errorClass: 'DecodeError' },
      json: false,
      dryRun: true,
      again: false,
    });
  });

  it('takes one address for show', () => {
    expect(parseDlqArgs(['show', 'a.v1.dlq/0/12', '--json'], NOW)).toMatchObject({
      sub: 'show',
      address: 'a.v1.dlq/0/12',
      json: true,
    });
  });

  it.each([
    [['purge'], /expected list, show or replay/],
    [['list', '--since', 'later'], /dlq list: --since 'later' is neither/],
    [['list', '--where', 'colour=red'], /dlq list: --where 'colour=red': expected reason=/],
    [['list', '--again'], /dlq list: .*'--again'/],
    [['show'], /dlq show: give one address/],
    [['show', 'a.dlq/x'], /is not a dead letter's address/],
    [['show', 'a.dlq/0/1', '--topic', 'x'], /dlq show: .*'--topic'/],
  ])('refuses %j as a usage error saying what is wrong', (argv, message) => {
    expect(() => parseDlqArgs(argv, NOW)).toThrow(UsageError);
    expect(() => parseDlqArgs(argv, NOW)).toThrow(message);
  });
});

describe('printable', () => {
  it('prints text on one line, cut to a length', () => {
    expect(printable('a\nb  c')).toBe('a b c');
    expect(printable('x'.repeat(300), 10)).toBe(`${'x'.repeat(10)}… (300 chars)`);
  });

  it('prints only the size of binary bytes', () => {
    expect(printable(Buffer.from([0xc3, 0x01, 0, 0xff]))).toBe('<4 bytes>');
    expect(printable(null)).toBe('(none)');
  });
});

describe('listLine', () => {
  it('says where the dead letter sits, where it came from, why, and whether it was replayed', () => {
    const r = {
      address: { topic: 'p.llmops.invocations.v1.dlq', partition: 1, offset: '5' },
      sourceTopic: 'p.llmops.invocations.v1',
      sourcePartition: 2,
      sourceOffset: '41',
      consumerGroup: 'llmops-pii-scanner',
      errorClass: 'DecodeError',
      error: 'bad C3 01 header',
      attempts: 1,
      failedAtMs: NOW,
    } as DeadLetterRecord;
    expect(listLine(r, undefined)).toBe(
      'p.llmops.invocations.v1.dlq/1/5  from p.llmops.invocations.v1/2/41  group llmops-pii-scanner  DecodeError  attempts 1  failed 2025-01-02T12:00:00.000Z  not replayed  bad C3 01 header',
    );
    expect(listLine(r, NOW)).toContain('replayed 2025-01-02T12:00:00.000Z');
  });
});
