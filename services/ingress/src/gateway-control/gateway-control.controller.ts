import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Put,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard, type AuthedRequest } from '../auth/api-key.guard';
import { RequireScope } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { GatewayControlService } from './gateway-control.service';

function body(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ApiError(400, 'invalid_body', 'send a JSON object');
  }
  return input as Record<string, unknown>;
}

/**
 * The gateway's upstreams and routes (admin scope; deployment-wide, so under /v1/admin rather
 * than beside the tenant's own resources). PUT creates (201) or replaces (200) the entry named
 * in the path; the body is the entry as GATEWAY_CONFIG_FILE declares it.
 */
@Controller('v1/admin')
@UseGuards(ApiKeyGuard)
export class GatewayControlController {
  constructor(private readonly control: GatewayControlService) {}

  @Get('upstreams')
  @RequireScope('admin')
  listUpstreams(@Req() req: AuthedRequest) {
    this.control.authorize(req.apiKey);
    return this.control.listUpstreams();
  }

  @Get('upstreams/:name')
  @RequireScope('admin')
  getUpstream(@Param('name') name: string, @Req() req: AuthedRequest) {
    this.control.authorize(req.apiKey);
    return this.control.getUpstream(name);
  }

  @Put('upstreams/:name')
  @RequireScope('admin')
  async putUpstream(
    @Param('name') name: string,
    @Body() input: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.control.authorize(req.apiKey);
    const { view, created } = await this.control.putUpstream(name, body(input), req.apiKey);
    void reply.status(created ? 201 : 200);
    return view;
  }

  @Delete('upstreams/:name')
  @HttpCode(204)
  @RequireScope('admin')
  async removeUpstream(@Param('name') name: string, @Req() req: AuthedRequest) {
    this.control.authorize(req.apiKey);
    await this.control.removeUpstream(name, req.apiKey);
  }

  @Get('routes')
  @RequireScope('admin')
  listRoutes(@Req() req: AuthedRequest) {
    this.control.authorize(req.apiKey);
    return this.control.listRoutes();
  }

  @Get('routes/:model')
  @RequireScope('admin')
  getRoute(@Param('model') model: string, @Req() req: AuthedRequest) {
    this.control.authorize(req.apiKey);
    return this.control.getRoute(model);
  }

  @Put('routes/:model')
  @RequireScope('admin')
  async putRoute(
    @Param('model') model: string,
    @Body() input: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.control.authorize(req.apiKey);
    const { view, created } = await this.control.putRoute(model, body(input), req.apiKey);
    void reply.status(created ? 201 : 200);
    return view;
  }

  @Delete('routes/:model')
  @HttpCode(204)
  @RequireScope('admin')
  async removeRoute(@Param('model') model: string, @Req() req: AuthedRequest) {
    this.control.authorize(req.apiKey);
    await this.control.removeRoute(model, req.apiKey);
  }
}
