import http from 'node:http';

/**
 * A minimal JSON-RPC 1.0 client for the simulators and their tests (the simulated miner hands
 * blocks to the node with it). The pool's own client lives in src/; this one stays tiny: one
 * connection per call, basic auth from the URL, errors surfaced with the node's code.
 */
export interface RawRpcResponse {
  status: number;
  /** Body exactly as received (amounts keep all their digits here). */
  text: string;
}

export class SimRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function postJson(url: string, body: unknown, timeoutMs = 10_000): Promise<RawRpcResponse> {
  const target = new URL(url);
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
  };
  if (target.username || target.password) {
    const user = decodeURIComponent(target.username);
    const password = decodeURIComponent(target.password);
    headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: Number(target.port || 80),
        path: target.pathname || '/',
        method: 'POST',
        headers,
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`node did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Calls one method; resolves with `result`, rejects with SimRpcError for an error reply. */
export async function rpcCall<T = unknown>(
  url: string,
  method: string,
  params: unknown[] = [],
  timeoutMs?: number,
): Promise<T> {
  const response = await postJson(url, { method, params, id: 1 }, timeoutMs);
  if (response.status === 401)
    throw new SimRpcError(401, 'node refused the credentials (HTTP 401)');
  let reply: { result?: unknown; error?: { code: number; message: string } | null };
  try {
    reply = JSON.parse(response.text) as typeof reply;
  } catch {
    throw new SimRpcError(
      response.status,
      `node answered HTTP ${response.status}: ${response.text}`,
    );
  }
  if (reply.error) throw new SimRpcError(reply.error.code, reply.error.message);
  return reply.result as T;
}
