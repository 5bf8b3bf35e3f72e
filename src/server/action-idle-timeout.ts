import type { ServerResponse } from 'node:http';

/**
 * How long a `/Action.aspx` connection may sit idle after its answer before the server closes it.
 * Wallets close the socket themselves the moment their reader sees the terminator (docs/PROTOCOL.md
 * §1.2: within milliseconds), so the server no longer closes every connection itself — that close,
 * `Connection: close` on every answer, halved the wallet path (issue 23). This bound is only for a
 * client that reads its answer and then neither closes nor sends another request: two seconds is
 * far above a wallet's read time on any link (the answer is already all sent) and short enough that
 * idle sockets cannot pile up. Not an environment variable: no operator has a reason to tune it.
 */
export const ACTION_IDLE_TIMEOUT_MS = 2000;

/**
 * Once `response` has been handed to the socket, bounds the socket's idle time to `idleMs` (the
 * server's own keep-alive time, 65 s, is for browsers and load balancers). Node's HTTP server arms
 * its keep-alive timer in its own `finish` listener, registered before ours, so ours overrides it;
 * a next request on the connection disarms it (Node resets the socket timeout when it parses one).
 * On expiry Node destroys the socket (no `timeout` listener is installed on the server).
 */
export function closeWhenIdle(response: ServerResponse, idleMs = ACTION_IDLE_TIMEOUT_MS): void {
  const socket = response.socket;
  if (!socket) return;
  response.once('finish', () => {
    if (!socket.destroyed) socket.setTimeout(idleMs);
  });
}
