import type { Kafka } from 'kafkajs';
import {
  gatewayEntryCodec,
  type GatewayEntry,
  type GatewayEntryAuthor,
  type GatewayEntryKind,
} from '@llmops/contracts';
import { CompactedTopic } from '@llmops/control-plane';
import type { Logger } from '@llmops/observability';
import type { RouteSpec, UpstreamSpec } from '../gateway/gateway-config';
import { canonicalJson, readSpec } from './gateway-entry-input';

/** A live entry: its spec as declared, and the record that set it (revision, who, when). */
export interface LiveEntry<S> {
  spec: S;
  /** The spec's canonical JSON (what is stored; equal specs, equal strings). */
  json: string;
  record: GatewayEntry;
}

export type SpecOf<K extends GatewayEntryKind> = K extends 'upstream' ? UpstreamSpec : RouteSpec;

export function entryKey(kind: GatewayEntryKind, name: string): string {
  return `${kind}/${name}`;
}

/**
 * The gateway's upstreams and routes on the compacted topic `llmops.control.gateway-routes.v1`
 * (see CompactedTopic), one record per upstream or route, deployment-wide. Every replica reads
 * the topic to its end at start, then follows it live and tells its listeners of each change;
 * lookups are in memory. A spec is stored as the file declares it and checked by the same
 * schema when read back, so a record this version cannot read is logged and left out, never
 * served half-understood.
 */
export class GatewayEntryStore {
  /** The latest record of every key, removed ones included (their revision keeps counting). */
  private readonly records = new Map<string, GatewayEntry>();
  private readonly live = {
    upstream: new Map<string, LiveEntry<UpstreamSpec>>(),
    route: new Map<string, LiveEntry<RouteSpec>>(),
  };
  private readonly listeners: Array<() => void> = [];
  private following = false;
  private readonly state: CompactedTopic<GatewayEntry>;
  private readonly log: Logger;

  constructor(kafka: Kafka, logger: Logger, topic: string) {
    this.log = logger.child({ component: 'gateway-routes' });
    this.state = new CompactedTopic<GatewayEntry>({
      kafka,
      logger,
      topic,
      what: 'gateway upstreams and routes',
      decode: (bytes) => gatewayEntryCodec.decode(bytes),
      encode: (record) => gatewayEntryCodec.encode(record),
      key: (record) => entryKey(record.kind, record.name),
      apply: (record) => this.apply(record),
    });
  }

  /** Reads the topic up to its current end, then keeps following it. */
  async start(timeoutMs = 30_000): Promise<void> {
    await this.state.start(timeoutMs);
    this.log.info(
      { upstreams: this.live.upstream.size, routes: this.live.route.size },
      'gateway upstreams and routes loaded',
    );
  }

  stop(): Promise<void> {
    this.following = false;
    return this.state.stop();
  }

  /** From now on, `listener` is called after every change (the first time at once). */
  follow(listener: () => void): void {
    this.listeners.push(listener);
    this.following = true;
    listener();
  }

  upstreams(): LiveEntry<UpstreamSpec>[] {
    return sorted(this.live.upstream);
  }

  routes(): LiveEntry<RouteSpec>[] {
    return sorted(this.live.route);
  }

  get<K extends GatewayEntryKind>(kind: K, name: string): LiveEntry<SpecOf<K>> | undefined {
    return this.live[kind].get(name) as LiveEntry<SpecOf<K>> | undefined;
  }

  /**
   * Stores a spec (validated by the caller) unless the live one is equal: several replicas
   * applying the same file at start write nothing twice. `changed` false: nothing written.
   */
  async put<K extends GatewayEntryKind>(
    kind: K,
    name: string,
    spec: SpecOf<K>,
    by: GatewayEntryAuthor,
    now = Date.now(),
  ): Promise<{ entry: LiveEntry<SpecOf<K>>; created: boolean; changed: boolean }> {
    const json = canonicalJson(spec);
    const current = this.get(kind, name);
    if (current?.json === json) return { entry: current, created: false, changed: false };
    await this.write(kind, name, json, by, now, null);
    return { entry: this.get(kind, name)!, created: !current, changed: true };
  }

  /** Marks an entry removed (the record stays for the audit); undefined when it was not there. */
  async remove(
    kind: GatewayEntryKind,
    name: string,
    by: GatewayEntryAuthor,
    now = Date.now(),
  ): Promise<GatewayEntry | undefined> {
    if (!this.get(kind, name)) return undefined;
    return this.write(kind, name, null, by, now, now);
  }

  private async write(
    kind: GatewayEntryKind,
    name: string,
    specJson: string | null,
    by: GatewayEntryAuthor,
    now: number,
    deletedAt: number | null,
  ): Promise<GatewayEntry> {
    const record: GatewayEntry = {
      kind,
      name,
      spec_json: specJson,
      revision: (this.records.get(entryKey(kind, name))?.revision ?? 0) + 1,
      changed_at_ms: now,
      changed_by: by,
      deleted_at_ms: deletedAt,
    };
    await this.state.write(record);
    return record;
  }

  private apply(record: GatewayEntry): void {
    const key = entryKey(record.kind, record.name);
    const current = this.records.get(key);
    // Our own write is applied at once and read back later: never go back a revision.
    if (current && current.revision > record.revision) return;
    this.records.set(key, record);
    const live = this.live[record.kind] as Map<string, LiveEntry<UpstreamSpec | RouteSpec>>;
    const entry = record.spec_json === null ? undefined : this.readEntry(record, record.spec_json);
    if (entry) live.set(record.name, entry);
    else live.delete(record.name);
    if (this.following) for (const listener of this.listeners) listener();
  }

  private readEntry(
    record: GatewayEntry,
    json: string,
  ): LiveEntry<UpstreamSpec | RouteSpec> | undefined {
    try {
      const spec = readSpec(record.kind, json);
      const named = 'name' in spec ? spec.name : spec.model;
      if (named !== record.name) throw new Error(`the spec names '${named}'`);
      return { spec, json: canonicalJson(spec), record };
    } catch (err) {
      this.log.error(
        { kind: record.kind, name: record.name, revision: record.revision, err },
        'gateway entry that this version cannot read left out',
      );
      return undefined;
    }
  }
}

function sorted<S>(map: Map<string, LiveEntry<S>>): LiveEntry<S>[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}
