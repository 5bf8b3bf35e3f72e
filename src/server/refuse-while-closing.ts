import type { FastifyInstance } from 'fastify';
import { ACTION_PATH, errorBody, ProtocolError } from '../biblepay/pool-protocol';
import { writeProtocolAnswer } from '../biblepay/protocol-answer';

/**
 * While the server drains (graceful shutdown), a request that still arrives on an open connection
 * is refused with 503 and `Connection: close` (the server closes it) — for a wallet in the protocol's own error format
 * with its terminator, so it stops reading at once and retries elsewhere. Replaces Fastify's
 * `return503OnClosing`, whose JSON body a plain-HTTP wallet would wait on.
 */
export function refuseWhileClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!closing) return done();
    const query = request.url.indexOf('?');
    const path = query < 0 ? request.url : request.url.slice(0, query);
    if (path === ACTION_PATH) {
      return writeProtocolAnswer(reply, errorBody(ProtocolError.unavailable), {
        statusCode: 503,
        close: true,
      });
    }
    void reply.code(503).header('Connection', 'close').send({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The server is shutting down; retry on another server or in a moment',
    });
  });
}
