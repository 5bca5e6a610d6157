import { randomBytes, randomUUID } from 'node:crypto';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { KeyHashPartitioner, murmur2 } from './partitioner';

// kafkajs's own implementation, the reference: records must keep their partitions.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: Buffer | string,
) => number;

describe('murmur2', () => {
  it('hashes exactly as kafkajs (and the Java client) do, for keys of every length', () => {
    for (let len = 0; len <= 64; len++) {
      for (let n = 0; n < 20; n++) {
        const key = randomBytes(len);
        expect(murmur2(key)).toBe(kafkajsMurmur2(key));
      }
    }
  });

  it('hashes string keys as their UTF-8 bytes', () => {
    for (const key of ['acme/5cf92f3577b34da6a3ce929d0e0e4737', 'ünïcødé/🙂', '', randomUUID()]) {
      expect(murmur2(key)).toBe(kafkajsMurmur2(key));
    }
  });

  it('gives the known value of the Java client for a fixed key', () => {
    // Utils.murmur2("21".getBytes()) in Apache Kafka's UtilsTest.
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
  });
});

describe('KeyHashPartitioner', () => {
  const partitionMetadata = [0, 1, 2].map((partitionId) => ({
    partitionId,
    leader: partitionId === 1 ? -1 : 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));
  const args = (message: PartitionerArgs['message']): PartitionerArgs => ({
    topic: 't',
    partitionMetadata,
    message,
  });

  it('puts keyed messages where kafkajs default partitioner puts them', () => {
    const ours = KeyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (let i = 0; i < 500; i++) {
      const message = { key: `acme/${randomUUID()}`, value: 'x' };
      expect(ours(args(message))).toBe(theirs(args(message)));
    }
  });

  it('keeps an explicit partition and spreads keyless messages over partitions with a leader', () => {
    const ours = KeyHashPartitioner();
    expect(ours(args({ value: 'x', partition: 1 }))).toBe(1);
    const seen = new Set(Array.from({ length: 10 }, () => ours(args({ value: 'x' }))));
    expect([...seen].sort()).toEqual([0, 2]);
  });
});
