import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ApiKey, Scope } from '@llmops/contracts';
import { Authenticator } from './authenticator';
import { SCOPES_KEY } from './scopes.decorator';

/** The authenticated caller, attached to the request by the guard. */
export type AuthedRequest = FastifyRequest & { apiKey: ApiKey };

/** Routes marked with @RequireScope: 401 without a valid key, 403 without the scope. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly auth: Authenticator,
    private readonly reflector: Reflector,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const scope = this.reflector.get<Scope | undefined>(SCOPES_KEY, ctx.getHandler());
    if (!scope) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    req.apiKey = this.auth.authenticate(req, scope);
    return true;
  }
}
