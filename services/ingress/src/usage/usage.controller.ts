import { Controller, Get, Inject, Query, Req, UseGuards } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ConfigService } from '@llmops/config';
import {
  DIMENSIONS,
  PERIODS,
  UsageKeys,
  UsageReader,
  type Dimension,
  type Period,
} from '@llmops/pricing';
import { ApiKeyGuard, type AuthedRequest } from '../auth/api-key.guard';
import { RequireScope } from '../auth/scopes.decorator';
import type { IngressConfig } from '../config/ingress-config';
import { ApiError } from '../http/api-error';
import { REDIS } from '../infra/tokens';

/** Usage of the key's tenant, from the accountant's counters in Redis. */
@Controller('v1/usage')
@UseGuards(ApiKeyGuard)
export class UsageController {
  private readonly reader: UsageReader;

  constructor(@Inject(REDIS) redis: Redis, config: ConfigService<IngressConfig>) {
    this.reader = new UsageReader(redis, new UsageKeys(config.get('REDIS_KEY_PREFIX')));
  }

  /** `?group_by=tenant|app|user|agent|model&period=minute|hour|day|month&at=<ISO time or epoch ms>` */
  @Get()
  @RequireScope('query')
  async usage(@Query() q: Record<string, string | undefined>, @Req() req: AuthedRequest) {
    const groupBy = (q.group_by ?? 'tenant') as Dimension;
    const period = (q.period ?? 'day') as Period;
    const details = [];
    if (!DIMENSIONS.includes(groupBy)) {
      details.push({ path: 'group_by', message: `must be one of ${DIMENSIONS.join(', ')}` });
    }
    if (!PERIODS.includes(period)) {
      details.push({ path: 'period', message: `must be one of ${PERIODS.join(', ')}` });
    }
    const at =
      q.at === undefined ? Date.now() : /^\d+$/.test(q.at) ? Number(q.at) : Date.parse(q.at);
    if (!Number.isFinite(at)) {
      details.push({ path: 'at', message: 'must be an ISO 8601 time or epoch milliseconds' });
    }
    if (details.length > 0) {
      throw new ApiError(
        400,
        'invalid_query',
        details.map((d) => `${d.path}: ${d.message}`).join('; '),
        details,
      );
    }
    try {
      return await this.reader.usage(req.apiKey.tenant_id, groupBy, period, at);
    } catch (err) {
      throw new ApiError(
        503,
        'usage_unavailable',
        `usage cannot be read right now (${(err as Error).message}); retry shortly`,
        undefined,
        { 'retry-after': '1' },
      );
    }
  }
}
