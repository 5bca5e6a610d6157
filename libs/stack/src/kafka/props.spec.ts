import { kafkaProperties, newClusterId, renderProperties } from './props';

describe('kafkaProperties', () => {
  const props = kafkaProperties({
    port: 19092,
    controllerPort: 19093,
    dataDir: '/cache/kafka/data',
  });

  it('describes a single-node KRaft broker and controller on loopback', () => {
    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:19093',
      listeners: 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:19092',
      'controller.listener.names': 'CONTROLLER',
      'log.dirs': '/cache/kafka/data',
    });
  });

  it('gives every internal topic replication factor 1 so a group coordinator exists on one node', () => {
    expect(props).toMatchObject({
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'share.coordinator.state.topic.replication.factor': '1',
      'share.coordinator.state.topic.min.isr': '1',
    });
  });

  it('rebalances without delay, creates no topic implicitly and defaults to 3 partitions', () => {
    expect(props).toMatchObject({
      'group.initial.rebalance.delay.ms': '0',
      'auto.create.topics.enable': 'false',
      'num.partitions': '3',
    });
  });

  it('applies overrides last', () => {
    const overridden = kafkaProperties({
      port: 1,
      controllerPort: 2,
      dataDir: '/d',
      overrides: { 'num.partitions': 1, 'x.y': true },
    });
    expect(overridden['num.partitions']).toBe('1');
    expect(overridden['x.y']).toBe('true');
  });
});

describe('renderProperties', () => {
  it('writes key=value lines after a commented header', () => {
    expect(
      renderProperties({ 'a.b': 'c', d: 'PLAINTEXT://127.0.0.1:1' }, 'line one\nline two'),
    ).toBe('# line one\n# line two\na.b=c\nd=PLAINTEXT://127.0.0.1:1\n');
  });

  it('escapes backslashes, line breaks and a leading space in values and separators in keys', () => {
    expect(renderProperties({ 'k=1': ' C:\\dir\nnext' })).toBe('k\\=1=\\ C:\\\\dir\\nnext\n');
  });
});

describe('newClusterId', () => {
  it('makes 22-character base64url ids like Uuid.randomUuid, never starting with "-"', () => {
    const ids = Array.from({ length: 200 }, () => newClusterId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
