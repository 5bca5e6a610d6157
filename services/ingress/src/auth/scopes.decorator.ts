import { SetMetadata } from '@nestjs/common';
import type { Scope } from '@llmops/contracts';

export const SCOPES_KEY = 'llmops:scopes';

/** The scope a route needs; the key must carry it. */
export const RequireScope = (scope: Scope) => SetMetadata(SCOPES_KEY, scope);
