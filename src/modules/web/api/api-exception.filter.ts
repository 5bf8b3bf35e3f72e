import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * JSON errors for the API: an HttpException keeps its status with a `{statusCode, error,
 * message}` body; anything else (the database is down) is a 503 with the same shape, logged,
 * never a 500 with a stack.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      void reply
        .status(status)
        .header('Cache-Control', 'no-store')
        .send({ statusCode: status, error: errorName(status), message: messageOf(exception) });
      return;
    }
    this.logger.error(`API read failed: ${(exception as Error)?.message ?? String(exception)}`);
    void reply.status(503).header('Cache-Control', 'no-store').header('Retry-After', '10').send({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The pool cannot read its data right now; try again shortly.',
    });
  }
}

/** Nest puts a string, or a list of strings (validation pipes), in the response's `message`. */
function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return exception.message;
}

function errorName(status: number): string {
  switch (status) {
    case 400:
      return 'Bad Request';
    case 404:
      return 'Not Found';
    case 405:
      return 'Method Not Allowed';
    default:
      return status >= 500 ? 'Service Unavailable' : 'Error';
  }
}
