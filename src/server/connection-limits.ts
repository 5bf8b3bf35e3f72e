import type { Server } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ACTION_PATH } from '../biblepay/pool-protocol';
import { AppConfig } from '../config/app-config';
import { TrustedProxies } from './client-address';
import { clientKey } from './rate-limiter';

/**
 * The body a wallet POSTs to `/Action.aspx` is the action's name again (docs/PROTOCOL.md §1: its
 * data travel in headers), so a few bytes; 1 KiB leaves room. Fastify refuses a larger
 * Content-Length with 413 before reading any of it.
 */
export const ACTION_BODY_LIMIT = 1024;

/**
 * Node's own slow-request guards, passed to `http(s).createServer`: `headersTimeout` (the
 * headers of a request, or the first bytes of a silent socket) and how often Node looks for
 * expired requests — its default of 30 s would let a slow socket outlive the timeout by as much.
 * The whole-request limit is Fastify's `requestTimeout` (createApp).
 */
export function slowRequestOptions(connections: AppConfig['connections']): {
  headersTimeout: number;
  connectionsCheckingInterval: number;
} {
  return {
    headersTimeout: connections.headersTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.ceil(connections.headersTimeoutMs / 4)),
  };
}

/** `/Action.aspx` gets its small body limit when its route is registered (by Nest, later). */
export function limitActionBody(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    if (route.url === ACTION_PATH) route.bodyLimit = ACTION_BODY_LIMIT;
  });
}

/**
 * At most `max` open sockets per source — the socket's peer, an IPv4 address or an IPv6 /64
 * (clientKey) — per process: a socket past it is closed at once, before any byte is read, so one
 * source holding slow sockets cannot exhaust the process's descriptors. The peer is the direct
 * one: X-Forwarded-For is a header, read only later. A peer TRUST_PROXY lists is a proxy carrying
 * many clients and is not capped (the proxy limits its own clients: docs/CONFIGURATION.md, "Connections").
 */
export function capConnectionsPerSource(
  server: Server,
  max: number,
  proxies: TrustedProxies,
): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: import('node:net').Socket) => {
    const peer = socket.remoteAddress;
    if (!peer || proxies.trusts(peer)) return;
    const key = clientKey(peer);
    const count = open.get(key) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left <= 0) open.delete(key);
      else open.set(key, left);
    });
  });
}
