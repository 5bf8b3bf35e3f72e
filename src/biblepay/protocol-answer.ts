import type { FastifyReply, FastifyRequest } from 'fastify';

export interface ProtocolAnswerOptions {
  statusCode?: number;
  /** Leave the connection open (only for a client that asked for it: see `keepsAlive`). */
  keepAlive?: boolean;
}

/**
 * Writes a `/Action.aspx` answer the way every wallet reader can take it (docs/PROTOCOL.md):
 * `Connection: close` — a classic plain-HTTP wallet reads until a terminator or until the server
 * closes —, `Content-Length` as the last header — the HTTPS reader's length rule counts from where
 * it finds that header —, no `Date` or other header after it, never chunked, and status line,
 * headers and body in one write.
 */
export function writeProtocolAnswer(
  reply: FastifyReply,
  body: string,
  options: ProtocolAnswerOptions = {},
): void {
  reply.hijack();
  const response = reply.raw;
  response.sendDate = false;
  // A flat [name, value, …] list keeps this order; Node adds nothing once Connection is given.
  response.writeHead(options.statusCode ?? 200, [
    'Content-Type',
    'text/html; charset=utf-8',
    'Connection',
    options.keepAlive ? 'keep-alive' : 'close',
    'Content-Length',
    String(Buffer.byteLength(body)),
  ]);
  // A string body goes out together with the pending header block in a single socket write.
  response.end(body);
}

/**
 * Wallets never send a `Connection` header and read until the server closes, so they always get
 * `Connection: close`. With ACTION_KEEP_ALIVE=true a client that explicitly asks for keep-alive
 * (a load tester, a proxy pooling upstream connections: clients that parse HTTP) may keep it.
 */
export function keepsAlive(request: FastifyRequest, allowed: boolean): boolean {
  if (!allowed) return false;
  const connection = request.headers.connection;
  return typeof connection === 'string' && /(^|,)\s*keep-alive\s*(,|$)/i.test(connection);
}
