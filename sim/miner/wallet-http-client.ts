import net from 'node:net';
import tls from 'node:tls';

/**
 * Talks to a pool exactly as the BiblePay wallet's pool miner does (PROTOCOL.md §1): a hand-written
 * HTTP/1.1 request over a raw socket, and an answer read the wallet's way — raw bytes until a
 * terminator or until `Content-Length: ` bytes past the headers — never parsed as HTTP.
 */
export interface WalletRequest {
  /** `http://host:port` or `https://host:port` (TLS: self-signed certificates accepted, as the tests need). */
  pool: string;
  action: string;
  miner: string;
  network: string;
  solution?: string;
  threadId?: number;
  agent?: string;
  os?: string;
  /** Extra or replacement headers, written verbatim. */
  extraHeaders?: Record<string, string>;
  /** Request line method; the wallet always POSTs. */
  method?: string;
  timeoutMs?: number;
}

export interface WalletResponse {
  /** Everything read, headers included, as the wallet holds it. */
  raw: string;
  /** Text after the blank line that ends the headers. */
  body: string;
  statusCode: number;
}

const TERMINATORS = ['</html>', '</HTML>', '<EOF>', '<END>'];
const CONTENT_LENGTH = 'Content-Length: ';

export function buildWalletRequest(req: WalletRequest, host: string): string {
  const agent = req.agent ?? '1.1.9.3';
  const body = req.action;
  const headers: Record<string, string> = {
    'User-Agent': `Mozilla/5.0/${agent}`,
    Host: host,
    'Content-Length': String(Buffer.byteLength(body)),
    Action: req.action,
    Agent: agent,
    Miner: req.miner,
    NetworkID: req.network,
    OS: req.os ?? 'LIN',
    Solution: req.solution ?? '',
    ThreadID: String(req.threadId ?? 0),
    ...req.extraHeaders,
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `${req.method ?? 'POST'} /Action.aspx HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** True once the wallet would stop reading: a terminator seen or Content-Length bytes of body read. */
export function walletAnswerComplete(buffer: string): boolean {
  if (TERMINATORS.some((t) => buffer.includes(t))) return true;
  const at = buffer.indexOf(CONTENT_LENGTH);
  const headerEnd = buffer.indexOf('\r\n\r\n');
  if (at < 0 || headerEnd < 0) return false;
  const length = parseInt(buffer.slice(at + CONTENT_LENGTH.length), 10);
  return Number.isFinite(length) && Buffer.byteLength(buffer.slice(headerEnd + 4)) >= length;
}

/** Text between `<TAG>` and `</TAG>` anywhere in the buffer, as the wallet's ExtractXML does. */
export function extractTag(buffer: string, tag: string): string {
  const open = `<${tag}>`;
  const start = buffer.indexOf(open);
  if (start < 0) return '';
  const end = buffer.indexOf(`</${tag}>`, start + open.length);
  return end < 0 ? '' : buffer.slice(start + open.length, end);
}

export async function walletRequest(req: WalletRequest): Promise<WalletResponse> {
  const url = new URL(req.pool);
  return sendRaw(req.pool, buildWalletRequest(req, url.host), req.timeoutMs);
}

/** Writes `payload` as is to the pool and reads the answer the wallet's way. */
export async function sendRaw(
  pool: string,
  payload: string,
  timeoutMs = 10_000,
): Promise<WalletResponse> {
  const url = new URL(pool);
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));

  return new Promise<WalletResponse>((resolve, reject) => {
    const socket = secure
      ? tls.connect({
          host: url.hostname,
          port,
          rejectUnauthorized: false,
          servername: url.hostname,
        })
      : net.connect({ host: url.hostname, port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error) return reject(error);
      const raw = Buffer.concat(chunks).toString('utf8');
      const headerEnd = raw.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
      resolve({
        raw,
        body: headerEnd < 0 ? '' : raw.slice(headerEnd + 4),
        statusCode: status ? Number(status[1]) : 0,
      });
    };
    socket.setTimeout(timeoutMs, () =>
      finish(new Error(`pool did not answer within ${timeoutMs} ms`)),
    );
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (walletAnswerComplete(Buffer.concat(chunks).toString('utf8'))) finish();
    });
    socket.on('end', () => finish());
    socket.on('error', (error: Error) => finish(error));
  });
}
