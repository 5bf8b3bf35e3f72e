import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACTION_PATH, errorBody, ProtocolError } from '../biblepay/pool-protocol';
import { AppConfig } from '../config/app-config';
import { keepsAlive, writeProtocolAnswer } from '../biblepay/protocol-answer';
import { clientKey, SlidingWindowLimiter } from './rate-limiter';

/** Monitoring is never limited (the health checker may poll from behind the same NAT). */
const EXEMPT_PATHS = new Set(['/health', '/health/', '/metrics', '/metrics/']);

/**
 * Per-IP limits on a frontend's HTTP (RATE_LIMIT_ACTION_PER_MINUTE for `/Action.aspx`,
 * RATE_LIMIT_WEB_PER_MINUTE for every page and API call), checked in a Fastify `onRequest` hook:
 * before routing, body parsing or any Nest machinery, one Map lookup per request. `request.ip`
 * already honours TRUST_PROXY, so behind a proxy the limit applies to the miner, not the proxy.
 * In-process: with several frontends behind a load balancer each enforces its own share.
 */
export function installRateLimit(
  fastify: FastifyInstance,
  limits: AppConfig['rateLimit'],
  actionKeepAlive = false,
): void {
  const action =
    limits.actionPerMinute > 0 ? new SlidingWindowLimiter(limits.actionPerMinute) : null;
  const web = limits.webPerMinute > 0 ? new SlidingWindowLimiter(limits.webPerMinute) : null;
  if (!action && !web) return;

  fastify.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (path === ACTION_PATH) {
      if (action && !action.take(clientKey(request.ip))) {
        return refuseMiner(request, reply, actionKeepAlive);
      }
    } else if (web && !EXEMPT_PATHS.has(path) && !web.take(clientKey(request.ip))) {
      return refuseVisitor(request, reply, web);
    }
    done();
  });
}

/** The wallet reads raw bytes: an answer it understands, shown to the user as an error. */
function refuseMiner(request: FastifyRequest, reply: FastifyReply, keepAlive: boolean): void {
  writeProtocolAnswer(reply, errorBody(ProtocolError.rateLimited), {
    keepAlive: keepsAlive(request, keepAlive),
  });
}

function refuseVisitor(
  request: FastifyRequest,
  reply: FastifyReply,
  limiter: SlidingWindowLimiter,
): void {
  void reply
    .code(429)
    .header('Retry-After', String(limiter.retryAfterSeconds()))
    .send({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `More than ${limiter.limit} requests per minute from ${request.ip}; retry later`,
    });
}
