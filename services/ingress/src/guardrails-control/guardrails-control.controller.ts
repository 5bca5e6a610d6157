import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard, type AuthedRequest } from '../auth/api-key.guard';
import { RequireScope } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { expectedRevision } from './guardrail-rule-input';
import { GuardrailsControlService } from './guardrails-control.service';

function body(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new ApiError(400, 'invalid_body', 'send the rule as a JSON object');
  return input as Record<string, unknown>;
}

function expected(ifMatch: string | undefined, query: string | undefined): number | undefined {
  const e = expectedRevision(ifMatch, query);
  if (typeof e === 'object')
    throw new ApiError(400, 'invalid_revision', `${e.problem.path} ${e.problem.message}`, [
      e.problem,
    ]);
  return e;
}

/**
 * The gateway's guardrail rules (admin scope): the key's tenant's rules, or with
 * `?scope=deployment` the deployment-wide ones. PUT creates (201) or replaces (200) the rule
 * named in the path, the body being the rule as a rules file lists it; `If-Match: <revision>`
 * (or `?expected_revision=`) makes a PUT or DELETE conditional (409 when the rule is at
 * another revision; 0: it must not exist). Answers for one rule carry its revision as ETag.
 */
@Controller('v1/admin/guardrails/rules')
@UseGuards(ApiKeyGuard)
export class GuardrailsControlController {
  constructor(private readonly control: GuardrailsControlService) {}

  @Get()
  @RequireScope('admin')
  list(@Query('scope') scope: string | undefined, @Req() req: AuthedRequest) {
    return this.control.list(this.control.ownerFor(req.apiKey, scope));
  }

  @Get(':id')
  @RequireScope('admin')
  get(
    @Param('id') id: string,
    @Query('scope') scope: string | undefined,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = this.control.get(this.control.ownerFor(req.apiKey, scope), id);
    void reply.header('etag', `"${view.revision}"`);
    return view;
  }

  @Put(':id')
  @RequireScope('admin')
  async put(
    @Param('id') id: string,
    @Query('scope') scope: string | undefined,
    @Query('expected_revision') expectedQuery: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() input: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const owner = this.control.ownerFor(req.apiKey, scope);
    const { view, created } = await this.control.put(
      owner,
      id,
      body(input),
      req.apiKey,
      expected(ifMatch, expectedQuery),
    );
    void reply.status(created ? 201 : 200).header('etag', `"${view.revision}"`);
    return view;
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScope('admin')
  async remove(
    @Param('id') id: string,
    @Query('scope') scope: string | undefined,
    @Query('expected_revision') expectedQuery: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: AuthedRequest,
  ) {
    const owner = this.control.ownerFor(req.apiKey, scope);
    await this.control.remove(owner, id, req.apiKey, expected(ifMatch, expectedQuery));
  }
}
