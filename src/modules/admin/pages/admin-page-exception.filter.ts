import {
  ArgumentsHost,
  Catch,
  ConflictException,
  ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendConsolePage } from '../auth/admin-gate';
import { adminMessagePage } from '../views/login-page';

/** A confirmed form sent a second time (its one-time nonce is spent): nothing was changed again. */
export class AlreadyDoneException extends ConflictException {}

/** Console pages answer errors with a console page: the message for 4xx, a 503 page otherwise. */
@Catch()
export class AdminPageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminConsole');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const actor = host.switchToHttp().getRequest<FastifyRequest>().admin?.actor;
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const title =
        exception instanceof AlreadyDoneException
          ? 'Already done'
          : status === 404
            ? 'Not found'
            : status === 409
              ? 'Try again'
              : 'Cannot do that';
      sendConsolePage(reply, status, adminMessagePage(title, exception.message, actor));
      return;
    }
    this.logger.error(`console page failed: ${(exception as Error)?.message ?? String(exception)}`);
    sendConsolePage(
      reply,
      503,
      adminMessagePage(
        'Temporarily unavailable',
        'The console cannot reach the database, the broker or the node right now; try again shortly.',
        actor,
      ),
    );
  }
}
