import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { ConfigService } from '@llmops/config';
import { topicNames, type ApiKey, type GatewayEntryAuthor } from '@llmops/contracts';
import { requireControlTopic } from '@llmops/control-plane';
import type { Logger } from '@llmops/observability';
import type { IngressConfig } from '../config/ingress-config';
import type { RouteSpec, UpstreamSpec } from '../gateway/gateway-config';
import { ApiError } from '../http/api-error';
import { KAFKA, LOGGER } from '../infra/tokens';
import { parseRoute, parseUpstream, type EntryProblem } from './gateway-entry-input';
import { GatewayEntryStore } from './gateway-entry-store';
import { UpstreamInUseError, entryView } from './gateway-entry-view';

/**
 * The gateway's upstreams and routes as control-plane state: deployment-wide (they belong to
 * no tenant), kept on their compacted topic, changed through the admin API (admin scope) and
 * by GATEWAY_CONFIG_FILE, whose entries are applied at start. Every replica's gateway follows
 * the topic live (GatewayService). Credentials are only named here, never held: each replica
 * reads them from its own environment or files.
 */
@Injectable()
export class GatewayControlService implements OnModuleInit, OnModuleDestroy {
  readonly store: GatewayEntryStore;
  private readonly topic: string;
  private readonly log: Logger;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly config: ConfigService<IngressConfig>,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.topic = topicNames(config.get('TOPIC_PREFIX')).controlGatewayRoutes;
    this.store = new GatewayEntryStore(kafka, logger, this.topic);
    this.log = logger.child({ component: 'gateway-routes' });
  }

  async onModuleInit() {
    await requireControlTopic(this.kafka, this.topic, "the gateway's upstreams and routes");
    await this.store.start();
    await this.applyFile();
  }

  onModuleDestroy() {
    return this.store.stop();
  }

  /** 403 unless the key's tenant may administer the gateway (GATEWAY_ADMIN_TENANTS). */
  authorize(key: ApiKey): void {
    const tenants = this.config.get('GATEWAY_ADMIN_TENANTS');
    if (tenants && !tenants.includes(key.tenant_id))
      throw new ApiError(
        403,
        'not_gateway_admin',
        `upstreams and routes serve every tenant: only admin keys of ${tenants.join(', ')} may see or change them (GATEWAY_ADMIN_TENANTS)`,
      );
  }

  listUpstreams() {
    return { upstreams: this.store.upstreams().map(entryView) };
  }

  getUpstream(name: string) {
    return entryView(this.store.get('upstream', name) ?? notFound('upstream', name));
  }

  listRoutes() {
    return { routes: this.store.routes().map(entryView) };
  }

  getRoute(model: string) {
    return entryView(this.store.get('route', model) ?? notFound('route', model));
  }

  /** Creates or replaces an upstream; its credential must be readable on this replica. */
  async putUpstream(name: string, body: Record<string, unknown>, key: ApiKey) {
    const parsed = parseUpstream(name, body);
    if (!parsed.ok) throw invalid('upstream', name, parsed.problems);
    const spec = parsed.spec;
    if (spec.credential) {
      const read = this.config.get('GATEWAY_CREDENTIALS')(spec.credential);
      if ('problem' in read)
        throw invalid('upstream', name, [
          { path: `credential.${read.field}`, message: read.detail },
        ]);
    }
    return this.put('upstream', name, spec, key);
  }

  /** Creates or replaces a route; every target must name an upstream there is. */
  async putRoute(model: string, body: Record<string, unknown>, key: ApiKey) {
    const parsed = parseRoute(model, body);
    if (!parsed.ok) throw invalid('route', model, parsed.problems);
    const known = this.store.upstreams().map((u) => u.spec.name);
    const problems = parsed.spec.targets.flatMap((t, i) =>
      known.includes(t.upstream)
        ? []
        : [
            {
              path: `targets.${i}.upstream`,
              message: `names no upstream (there are: ${known.join(', ') || 'none'}); GET /v1/admin/upstreams lists them`,
            },
          ],
    );
    if (problems.length > 0) throw invalid('route', model, problems);
    return this.put('route', model, parsed.spec, key);
  }

  /** Removes an upstream no route uses (409 naming the routes that do). */
  async removeUpstream(name: string, key: ApiKey) {
    if (!this.store.get('upstream', name)) notFound('upstream', name);
    const users = this.store
      .routes()
      .filter((r) => r.spec.targets.some((t) => t.upstream === name))
      .map((r) => r.spec.model);
    if (users.length > 0) throw new UpstreamInUseError(name, users);
    await this.store.remove('upstream', name, byKey(key));
    this.log.info({ upstream: name, keyId: key.key_id }, 'upstream removed');
  }

  async removeRoute(model: string, key: ApiKey) {
    if (!(await this.store.remove('route', model, byKey(key)))) notFound('route', model);
    this.log.info({ route: model, keyId: key.key_id }, 'route removed');
  }

  private async put(
    kind: 'upstream' | 'route',
    name: string,
    spec: UpstreamSpec | RouteSpec,
    key: ApiKey,
  ) {
    const { entry, created, changed } = await this.store.put(kind, name, spec, byKey(key));
    if (changed)
      this.log.info(
        { [kind]: name, revision: entry.record.revision, keyId: key.key_id },
        `${kind} ${created ? 'added' : 'changed'}`,
      );
    return { view: entryView(entry), created };
  }

  /**
   * GATEWAY_CONFIG_FILE's upstreams (first) and routes, written where the topic holds anything
   * else: equal entries are left alone, so replicas starting together with the same file do
   * not churn. An entry removed from the file stays until removed through the API or CLI.
   */
  private async applyFile(): Promise<void> {
    const declared = this.config.get('GATEWAY_DECLARED');
    if (!declared) return;
    const by: GatewayEntryAuthor = {
      source: 'config_file',
      key_id: null,
      tenant_id: null,
      file: declared.file,
    };
    let written = 0;
    for (const u of declared.upstreams)
      if ((await this.store.put('upstream', u.name, u, by)).changed) written++;
    for (const r of declared.routes)
      if ((await this.store.put('route', r.model, r, by)).changed) written++;
    this.log.info(
      {
        file: declared.file,
        upstreams: declared.upstreams.length,
        routes: declared.routes.length,
        written,
      },
      'GATEWAY_CONFIG_FILE applied to the control plane',
    );
  }
}

function byKey(key: ApiKey): GatewayEntryAuthor {
  return { source: 'api', key_id: key.key_id, tenant_id: key.tenant_id, file: null };
}

function invalid(kind: 'upstream' | 'route', name: string, problems: EntryProblem[]): ApiError {
  return new ApiError(
    400,
    `invalid_${kind}`,
    `${kind} '${name}' is not valid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    problems,
  );
}

function notFound(kind: 'upstream' | 'route', name: string): never {
  throw new ApiError(
    404,
    `${kind}_not_found`,
    `there is no ${kind} '${name}'; GET /v1/admin/${kind}s lists them`,
  );
}
