import { StackConfigError } from '../errors';
import { clusterNodePorts } from './local-kafka-cluster';
import {
  clusterReplication,
  kafkaProperties,
  newClusterId,
  quorumVoters,
  renderProperties,
} from './props';

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

describe('kafkaProperties of a three-node cluster', () => {
  const voters = clusterNodePorts(3, 19092, 19093).map((n, i) => ({
    nodeId: i + 1,
    controllerPort: n.controllerPort,
  }));
  const node = (nodeId: number) =>
    kafkaProperties({
      nodeId,
      port: 19092 + 2 * (nodeId - 1),
      controllerPort: 19093 + 2 * (nodeId - 1),
      dataDir: `/cache/kafka/cluster/node-${nodeId}/data`,
      voters,
    });
  const nodes = [node(1), node(2), node(3)];

  it('gives every node its own id, listeners and log folder, and all of them one quorum', () => {
    expect(nodes.map((p) => p['node.id'])).toEqual(['1', '2', '3']);
    expect(nodes.map((p) => p.listeners)).toEqual([
      'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093',
      'PLAINTEXT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19095',
      'PLAINTEXT://127.0.0.1:19096,CONTROLLER://127.0.0.1:19097',
    ]);
    expect(nodes.map((p) => p['advertised.listeners'])).toEqual([
      'PLAINTEXT://127.0.0.1:19092',
      'PLAINTEXT://127.0.0.1:19094',
      'PLAINTEXT://127.0.0.1:19096',
    ]);
    expect(new Set(nodes.map((p) => p['log.dirs'])).size).toBe(3);
    for (const p of nodes) {
      expect(p['controller.quorum.voters']).toBe(
        '1@127.0.0.1:19093,2@127.0.0.1:19095,3@127.0.0.1:19097',
      );
      expect(p['process.roles']).toBe('broker,controller');
    }
  });

  it('replicates internal and new topics three times with two in sync', () => {
    for (const p of nodes) {
      expect(p).toMatchObject({
        'default.replication.factor': '3',
        'min.insync.replicas': '2',
        'offsets.topic.replication.factor': '3',
        'transaction.state.log.replication.factor': '3',
        'transaction.state.log.min.isr': '2',
        'share.coordinator.state.topic.replication.factor': '3',
        'share.coordinator.state.topic.min.isr': '2',
      });
    }
  });

  it('fences a killed broker within seconds; a single node keeps Kafka defaults', () => {
    expect(Number(nodes[0]!['broker.session.timeout.ms'])).toBeLessThan(9_000);
    const single = kafkaProperties({ port: 1, controllerPort: 2, dataDir: '/d' });
    expect(single['broker.session.timeout.ms']).toBeUndefined();
    expect(single['default.replication.factor']).toBe('1');
  });

  it('refuses a node that is not among the voters', () => {
    expect(() =>
      kafkaProperties({ nodeId: 4, port: 1, controllerPort: 2, dataDir: '/d', voters }),
    ).toThrow(StackConfigError);
  });
});

describe('clusterReplication', () => {
  it('keeps 3 copies with 2 in sync from three brokers on, fewer below', () => {
    expect([1, 2, 3, 5].map(clusterReplication)).toEqual([
      { replicationFactor: 1, minInsyncReplicas: 1 },
      { replicationFactor: 2, minInsyncReplicas: 2 },
      { replicationFactor: 3, minInsyncReplicas: 2 },
      { replicationFactor: 3, minInsyncReplicas: 2 },
    ]);
  });
});

describe('clusterNodePorts and quorumVoters', () => {
  it("steps each node's ports by two from node 1's", () => {
    expect(clusterNodePorts(3, 9092, 9093)).toEqual([
      { port: 9092, controllerPort: 9093 },
      { port: 9094, controllerPort: 9095 },
      { port: 9096, controllerPort: 9097 },
    ]);
    expect(quorumVoters([{ nodeId: 7, controllerPort: 1 }])).toBe('7@127.0.0.1:1');
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
