import type { FastifyReply, FastifyRequest } from 'fastify';
import { closeWhenIdle } from '../server/action-idle-timeout';

export interface ProtocolAnswerOptions {
  statusCode?: number;
  /** The server closes the connection after this answer (a frontend that drains). */
  close?: boolean;
  /**
   * Leave an idle connection the server's full keep-alive time instead of the short `/Action.aspx`
   * idle timeout (only for a client that asked for it: see `keepsAlive`).
   */
  keepAlive?: boolean;
}

/**
 * Writes a `/Action.aspx` answer the way every wallet reader can take it (docs/PROTOCOL.md §1.3):
 * `Connection: keep-alive` — both readers stop at the body's terminator and close the socket
 * themselves, so the server does not close every connection (ACTION_IDLE_TIMEOUT_MS bounds one a
 * client leaves open) —, `Content-Length` as the last header — the HTTPS reader's length rule
 * counts from where it finds that header —, no `Date` or other header after it, never chunked, and
 * status line, headers and body in one write. A client that cannot keep a connection (HTTP/1.0,
 * or one that sent `Connection: close`) gets `Connection: close` and the server's close.
 */
export function writeProtocolAnswer(
  reply: FastifyReply,
  body: string,
  options: ProtocolAnswerOptions = {},
): void {
  reply.hijack();
  const response = reply.raw;
  response.sendDate = false;
  const keep = response.shouldKeepAlive && !options.close;
  // A flat [name, value, …] list keeps this order; Node adds nothing (no Keep-Alive header either)
  // once Connection is given.
  response.writeHead(options.statusCode ?? 200, [
    'Content-Type',
    'text/html; charset=utf-8',
    'Connection',
    keep ? 'keep-alive' : 'close',
    'Content-Length',
    String(Buffer.byteLength(body)),
  ]);
  if (keep && !options.keepAlive) closeWhenIdle(response);
  // A string body goes out together with the pending header block in a single socket write.
  response.end(body);
}

/**
 * Wallets never send a `Connection` header and close once they have read the answer; a connection
 * left open is closed after ACTION_IDLE_TIMEOUT_MS. With ACTION_KEEP_ALIVE=true a client that
 * explicitly asks for keep-alive (a load tester, a proxy pooling upstream connections: clients that
 * parse HTTP) keeps an idle connection for the server's keep-alive time instead.
 */
export function keepsAlive(request: FastifyRequest, allowed: boolean): boolean {
  if (!allowed) return false;
  const connection = request.headers.connection;
  return typeof connection === 'string' && /(^|,)\s*keep-alive\s*(,|$)/i.test(connection);
}
