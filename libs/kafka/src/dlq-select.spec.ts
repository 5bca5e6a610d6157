import { topicNames } from '@llmops/contracts';
import type { DlqInfo } from './dlq';
import {
  DlqSelectionError,
  countByReason,
  formatAddress,
  matchesFilter,
  parseAddress,
  parseSince,
  parseWhere,
  platformDlqTopics,
  toDlqTopicName,
} from './dlq-select';

const NOW = Date.UTC(2025, 0, 2, 12, 0, 0);

function info(overrides: Partial<DlqInfo> = {}): DlqInfo {
  return {
    error: 'invocation is invalid: usage.input_tokens: is required',
    errorClass: 'ContractValidationError',
    sourceTopic: 'llmops.invocations.v1',
    sourcePartition: 0,
    sourceOffset: '7',
    consumerGroup: 'llmops-pii-scanner',
    attempts: 1,
    failedAtMs: NOW - 60_000,
    ...overrides,
  };
}

describe('dead letter addresses', () => {
  it('reads back what it prints', () => {
    const a = { topic: 'p.llmops.invocations.v1.dlq', partition: 2, offset: '41' };
    expect(formatAddress(a)).toBe('p.llmops.invocations.v1.dlq/2/41');
    expect(parseAddress(formatAddress(a))).toEqual(a);
  });

  it('normalizes the offset and refuses anything else with the expected form', () => {
    expect(parseAddress('t.dlq/0/007').offset).toBe('7');
    for (const bad of ['t.dlq/0', 't.dlq/x/1', 't.dlq/0/-1', '/0/1', 't dlq/0/1']) {
      expect(() => parseAddress(bad)).toThrow(/<dlq-topic>\/<partition>\/<offset>/);
    }
  });
});

describe('toDlqTopicName', () => {
  it('takes a source topic or its DLQ', () => {
    expect(toDlqTopicName('llmops.invocations.v1')).toBe('llmops.invocations.v1.dlq');
    expect(toDlqTopicName('llmops.invocations.v1.dlq')).toBe('llmops.invocations.v1.dlq');
  });
});

describe('platformDlqTopics', () => {
  it('names the DLQ of every data topic under the prefix and none of a control topic', () => {
    const topics = platformDlqTopics(topicNames('p.'));
    expect(topics).toContain('p.llmops.invocations.v1.dlq');
    expect(topics).toContain('p.llmops.security-events.v1.dlq');
    expect(topics.every((t) => t.startsWith('p.') && t.endsWith('.v1.dlq'))).toBe(true);
    expect(topics.some((t) => t.includes('.control.'))).toBe(false);
  });
});

describe('parseSince', () => {
  it('reads durations back from now, alone or summed', () => {
    expect(parseSince('90s', NOW)).toBe(NOW - 90_000);
    expect(parseSince('15m', NOW)).toBe(NOW - 900_000);
    expect(parseSince('1h', NOW)).toBe(NOW - 3_600_000);
    expect(parseSince('2d', NOW)).toBe(NOW - 2 * 86_400_000);
    expect(parseSince('1w', NOW)).toBe(NOW - 7 * 86_400_000);
    expect(parseSince('1h30m', NOW)).toBe(NOW - 5_400_000);
  });

  it('reads ISO 8601 times and dates', () => {
    expect(parseSince('2025-01-02T03:04:05.006Z', NOW)).toBe(Date.UTC(2025, 0, 2, 3, 4, 5, 6));
    expect(parseSince('2025-01-02', NOW)).toBe(Date.UTC(2025, 0, 2));
  });

  it('refuses anything else, naming both forms', () => {
    for (const bad of ['yesterday', '1y', '-1h', '12', '2025-13-45']) {
      expect(() => parseSince(bad, NOW)).toThrow(DlqSelectionError);
    }
    expect(() => parseSince('soon', NOW)).toThrow(/ISO 8601 .* duration \(30m, 1h/);
  });
});

describe('parseWhere', () => {
  it('reads reason, class and group clauses; a value may itself hold =', () => {
    expect(parseWhere(['reason=a=b', 'class=DecodeError', 'group=llmops-analytics-sink'])).toEqual({
      reason: 'a=b',
      errorClass: 'DecodeError',
      group: 'llmops-analytics-sink',
    });
  });

  it('refuses an unknown field or an empty value', () => {
    for (const bad of ['topic=x', 'reason=', 'reason', '=x']) {
      expect(() => parseWhere([bad])).toThrow(/expected reason=<text>, class=/);
    }
  });
});

describe('matchesFilter', () => {
  it('takes everything without conditions', () => {
    expect(matchesFilter(info(), {})).toBe(true);
  });

  it('matches the reason as a substring of the error in any case', () => {
    expect(matchesFilter(info(), { reason: 'INPUT_TOKENS' })).toBe(true);
    expect(matchesFilter(info(), { reason: 'output_tokens' })).toBe(false);
  });

  it('matches class and group exactly', () => {
    expect(matchesFilter(info(), { errorClass: 'ContractValidationError' })).toBe(true);
    expect(matchesFilter(info(), { errorClass: 'Contract' })).toBe(false);
    expect(matchesFilter(info(), { group: 'llmops-pii-scanner' })).toBe(true);
    expect(matchesFilter(info(), { group: 'llmops-pii' })).toBe(false);
  });

  it('takes dead letters that failed at or after --since, and none without a failed-at', () => {
    expect(matchesFilter(info(), { sinceMs: NOW - 60_000 })).toBe(true);
    expect(matchesFilter(info(), { sinceMs: NOW - 59_999 })).toBe(false);
    expect(matchesFilter(info({ failedAtMs: NaN }), { sinceMs: 0 })).toBe(false);
  });

  it('requires every condition', () => {
    expect(matchesFilter(info(), { reason: 'invalid', group: 'other' })).toBe(false);
  });
});

describe('countByReason', () => {
  it('counts per error class and message, most frequent first', () => {
    const decode = info({ errorClass: 'DecodeError', error: 'bad C3 01 header' });
    expect(countByReason([info(), decode, decode, info({ error: 'other' })])).toEqual([
      { errorClass: 'DecodeError', reason: 'bad C3 01 header', count: 2 },
      { errorClass: 'ContractValidationError', reason: info().error, count: 1 },
      { errorClass: 'ContractValidationError', reason: 'other', count: 1 },
    ]);
  });
});
