import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ApiKey, Scope } from '@llmops/contracts';
import { ApiKeyStore } from '@llmops/control-plane';
import type { Logger } from '@llmops/observability';
import { ApiError } from '../http/api-error';
import { LOGGER } from '../infra/tokens';
import { AuthAuditService, type AuthFailure } from './auth-audit.service';

const CHALLENGE = { 'www-authenticate': 'Bearer realm="llmops"' };

/**
 * Bearer API key → the key (tenant and scopes). Throws 401 without a valid key
 * and 403 without `scope`, after reporting the failure to the SOC. Used by
 * ApiKeyGuard (Nest routes) and by the routes served on Fastify directly.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly audit: AuthAuditService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  authenticate(req: FastifyRequest, scope: Scope): ApiKey {
    const header = req.headers.authorization;
    // Anthropic's clients send the key as `x-api-key`; OpenAI's as a bearer token.
    const apiKeyHeader = req.headers['x-api-key'];
    const report = (f: Pick<AuthFailure, 'reason' | 'keyId' | 'tenant' | 'requiredScope'>) =>
      this.audit.report({
        ...f,
        ip: req.ip,
        method: req.method,
        path: req.url,
        ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
      });
    if (!header && typeof apiKeyHeader === 'string' && apiKeyHeader.length > 0)
      return this.check(apiKeyHeader, scope, report, req);
    if (!header) {
      report({ reason: 'missing_credentials' });
      throw new ApiError(
        401,
        'missing_api_key',
        'send an API key as `Authorization: Bearer <key>` or `x-api-key: <key>` (create one with `npx llmops keys create`)',
        undefined,
        CHALLENGE,
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      report({ reason: 'malformed_credentials' });
      throw new ApiError(
        401,
        'malformed_authorization',
        'the Authorization header must be `Bearer <key>`',
        undefined,
        CHALLENGE,
      );
    }
    return this.check(match[1]!, scope, report, req);
  }

  private check(
    secret: string,
    scope: Scope,
    report: (f: Pick<AuthFailure, 'reason' | 'keyId' | 'tenant' | 'requiredScope'>) => void,
    req: FastifyRequest,
  ): ApiKey {
    const check = this.keys.check(secret);
    if (!check.ok) {
      this.logger.warn(
        { keyId: check.keyId, reason: check.reason, ip: req.ip },
        'authentication failed',
      );
      report({
        reason:
          check.reason === 'revoked'
            ? 'revoked_key'
            : check.reason === 'malformed'
              ? 'malformed_credentials'
              : 'unknown_key',
        ...(check.keyId ? { keyId: check.keyId } : {}),
        ...(check.tenant ? { tenant: check.tenant } : {}),
      });
      const message =
        check.reason === 'revoked'
          ? 'this API key has been revoked; ask an admin for a new one'
          : 'the API key is not recognised; check it was copied whole';
      throw new ApiError(
        401,
        check.reason === 'revoked' ? 'revoked_api_key' : 'invalid_api_key',
        message,
        undefined,
        CHALLENGE,
      );
    }
    if (!check.key.scopes.includes(scope)) {
      report({
        reason: 'insufficient_scope',
        keyId: check.key.key_id,
        tenant: check.key.tenant_id,
        requiredScope: scope,
      });
      throw new ApiError(
        403,
        'missing_scope',
        `this API key lacks the '${scope}' scope (it has: ${check.key.scopes.join(', ')})`,
      );
    }
    return check.key;
  }
}
