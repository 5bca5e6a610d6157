import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, type AuthedRequest } from '../auth/api-key.guard';
import { RequireScope } from '../auth/scopes.decorator';
import { bodyTextKnownWellFormed } from '../http/json-body';
import { EventsService } from './events.service';

@Controller('v1/events')
@UseGuards(ApiKeyGuard)
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** One invocation event (object) or a batch (array); 202 once Kafka has them. */
  @Post()
  @HttpCode(202)
  @RequireScope('ingest')
  async ingest(@Body() body: unknown, @Req() req: AuthedRequest) {
    const ids = await this.events.ingest(body, req.apiKey.tenant_id, {
      textKnownWellFormed: bodyTextKnownWellFormed(req),
    });
    return { accepted: ids.length, event_ids: ids };
  }
}
