import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from '@llmops/observability';
import { ApiError } from './api-error';

/** Renders ApiError and any other exception in the API's one error shape. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly maxBodyBytes: number,
  ) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof ApiError) {
      for (const [k, v] of Object.entries(exception.headers)) void reply.header(k, v);
      void reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const [code, message] = this.describe(status, exception.message);
      void reply.status(status).send({ error: { status, code, message } });
      return;
    }
    const status = (exception as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const [code, message] = this.describe(status, (exception as Error).message);
      void reply.status(status).send({ error: { status, code, message } });
      return;
    }
    this.logger.error(
      { err: exception instanceof Error ? exception : String(exception) },
      'unhandled error',
    );
    void reply.status(500).send({
      error: {
        status: 500,
        code: 'internal',
        message: 'internal error; the request may be retried',
      },
    });
  }

  /** Stable codes and actionable messages for the framework's own errors. */
  private describe(status: number, fallback: string): [string, string] {
    switch (status) {
      case 404:
        return ['not_found', fallback];
      case 405:
        return ['method_not_allowed', fallback];
      case 413:
        return [
          'body_too_large',
          `the body exceeds the limit of ${this.maxBodyBytes} bytes; send fewer events per request`,
        ];
      case 415:
        return [
          'unsupported_media_type',
          'send the body as JSON with `content-type: application/json`',
        ];
      default:
        return ['http_error', fallback];
    }
  }
}
