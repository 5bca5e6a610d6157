import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from '@llmops/observability';
import { ApiError } from './api-error';

/** Renders ApiError and any other exception in the API's one error shape. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof ApiError) {
      for (const [k, v] of Object.entries(exception.headers)) void reply.header(k, v);
      void reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : 'http_error';
      void reply.status(status).send({ error: { status, code, message: exception.message } });
      return;
    }
    this.logger.error({ err: exception instanceof Error ? exception.message : String(exception) }, 'unhandled error');
    void reply.status(500).send({ error: { status: 500, code: 'internal', message: 'internal error; the request may be retried' } });
  }
}
