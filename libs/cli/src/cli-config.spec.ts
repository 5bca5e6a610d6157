import { topicReplicationFactor } from './cli-config';

describe('topicReplicationFactor', () => {
  const config = { TOPIC_REPLICATION_FACTOR: 1 };

  it('gives topics 3 replicas on the list of a three-broker cluster', () => {
    expect(topicReplicationFactor({}, config, '127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096')).toBe(
      3,
    );
  });

  it('keeps 1 replica for a single bootstrap address and at most 3 for longer lists', () => {
    expect(topicReplicationFactor({}, config, '127.0.0.1:9092')).toBe(1);
    expect(topicReplicationFactor({ TOPIC_REPLICATION_FACTOR: ' ' }, config, 'a:1,b:2')).toBe(2);
    expect(topicReplicationFactor({}, config, 'a:1,b:2,c:3,d:4,e:5')).toBe(3);
  });

  it('follows TOPIC_REPLICATION_FACTOR when it is set', () => {
    expect(topicReplicationFactor({ TOPIC_REPLICATION_FACTOR: '1' }, config, 'a:1,b:2,c:3')).toBe(
      1,
    );
    expect(
      topicReplicationFactor(
        { TOPIC_REPLICATION_FACTOR: '2' },
        { TOPIC_REPLICATION_FACTOR: 2 },
        'a:1,b:2,c:3',
      ),
    ).toBe(2);
  });
});
