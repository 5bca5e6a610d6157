import type { RouteSpec, UpstreamSpec } from '../gateway/gateway-config';
import { ApiError } from '../http/api-error';
import type { LiveEntry } from './gateway-entry-store';

/**
 * What the admin API answers for an upstream or route: the entry as GATEWAY_CONFIG_FILE
 * declares it (an upstream's credential only as the variable or file it is read from), with
 * its revision and who changed it last, when.
 */
export function entryView<S extends UpstreamSpec | RouteSpec>(e: LiveEntry<S>) {
  const by = e.record.changed_by;
  return {
    ...e.spec,
    revision: e.record.revision,
    changed_at: new Date(e.record.changed_at_ms).toISOString(),
    changed_by: { source: by.source, key_id: by.key_id, tenant_id: by.tenant_id, file: by.file },
  };
}

/** 409: the upstream is a target of routes; the answer names them in `error.routes`. */
export class UpstreamInUseError extends ApiError {
  constructor(
    upstream: string,
    private readonly routes: string[],
  ) {
    super(
      409,
      'upstream_in_use',
      `upstream '${upstream}' is a target of the routes ${routes.map((r) => `'${r}'`).join(', ')}; change or remove them first`,
    );
  }
  override getResponse(): object {
    const body = super.getResponse() as { error: object };
    return { error: { ...body.error, routes: this.routes } };
  }
}
