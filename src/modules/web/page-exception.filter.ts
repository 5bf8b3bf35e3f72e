import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { Html } from './views/html';
import { messagePage } from './views/message-page';

/** No inline script or style: the chart data travels as JSON, read by /assets/purepool.js. */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function sendPage(reply: FastifyReply, status: number, page: Html): void {
  void reply
    .status(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', status === 200 ? 'public, max-age=15' : 'no-store')
    .header('Content-Security-Policy', PAGE_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'same-origin')
    .send(page.text);
}

/**
 * Errors on a page are pages too: an unknown network is a friendly 404, a database outage a
 * 503 that says to come back, never a stack trace or a JSON body in the browser.
 */
@Catch()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebPages');

  constructor(private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const networks = this.config.networks;
    if (exception instanceof HttpException && exception.getStatus() === 404) {
      sendPage(
        reply,
        404,
        messagePage(networks, null, 'Page not found', 'There is no such page on this pool.'),
      );
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      sendPage(
        reply,
        exception.getStatus(),
        messagePage(networks, null, 'Cannot show this page', exception.message),
      );
      return;
    }
    this.logger.error(`page failed: ${(exception as Error)?.message ?? String(exception)}`);
    void reply.header('Retry-After', '30');
    sendPage(
      reply,
      503,
      messagePage(
        networks,
        null,
        'Temporarily unavailable',
        'The pool cannot read its statistics right now. Mining is not affected; please try again in a minute.',
      ),
    );
  }
}
