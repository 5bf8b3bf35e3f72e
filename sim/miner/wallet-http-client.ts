import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { AnswerEnd, createReader, ReaderKind } from './answer-readers';
import { mapOrder, walletHostHeader, WalletProfile } from './wallet-profiles';

/**
 * Talks to a pool exactly as the BiblePay wallet's pool miner does (docs/PROTOCOL.md): a
 * hand-written HTTP/1.1 request over a new connection, and the answer read by one of the wallet's
 * two readers — never parsed as HTTP.
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
  /** The wallet's read timeout (15 s of CPU time in the wallet; wall time here). */
  timeoutMs?: number;
  /** Which answer reader; default the one the pool URL implies (`https` for Evo wallets). */
  reader?: ReaderKind;
  /**
   * An Evo wallet (Agent 1.4.4.8 unless `agent` says otherwise: 1.4.8.x submits no shares and the
   * pool refuses it at getwork): TLS whatever the URL says, SNI with the URL's host name, the Evo
   * headers, and the HTTPS reader's 45,000-byte limit.
   */
  evo?: { sessionId: string; workerId2?: string; sni?: string };
  /**
   * One real wallet release (wallet-profiles.ts): its User-Agent, its headers in std::map order,
   * `Host` as it writes it, Evo headers (SessionID from `evo`, else a fresh 64-hex one), TLS and SNI
   * as it does them, and its reader's rules. `agent` is then ignored (the release is the Agent).
   */
  wallet?: WalletProfile;
  /** Local address the connection is made from (tests: 127.0.0.2 is another source than 127.0.0.1). */
  localAddress?: string;
}

export interface WalletResponse {
  /** Everything the reader kept, headers included, as the wallet holds it. */
  raw: string;
  /** Text after the blank line that ends the headers. */
  body: string;
  statusCode: number;
  reader: ReaderKind;
  /** Why the reader stopped: anything but a terminator or the length rule means the wallet waited. */
  endedBy: AnswerEnd;
  /** From connecting to the reader stopping. */
  elapsedMs: number;
  /** Socket reads it took (an answer sent in one write arrives in one read on loopback). */
  reads: number;
}

export const WALLET_TIMEOUT_MS = 15_000;

export function buildWalletRequest(req: WalletRequest, host: string): string {
  if (req.wallet) return buildProfileRequest(req, req.wallet, host);
  const agent = req.agent ?? (req.evo ? '1.4.4.8' : '1.1.9.3');
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
    ...(req.evo
      ? {
          SessionID: req.evo.sessionId,
          WorkerID1: req.miner,
          WorkerID2: req.evo.workerId2 ?? '',
          HTTP_PROTO_VERSION: '2',
        }
      : {}),
    ...req.extraHeaders,
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `${req.method ?? 'POST'} /Action.aspx HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** A 64-hex SessionID as `GetRandHash().GetHex()` makes it (miner.cpp:1403-1404 @1.4.4.8). */
export function newSessionId(): string {
  return randomBytes(32).toString('hex');
}

/**
 * PrepareHTTPPost (net.cpp:2917-2929 @1.1.3.8, :2909-2921 @1.2.0.1; rpcpog.cpp:1889-1905 @1.4.4.8,
 * :1997-2013 @1.4.8.4): request line, User-Agent, Host, Content-Length, then the std::map of
 * headers in key order, a blank line and the action name as the body.
 */
function buildProfileRequest(req: WalletRequest, profile: WalletProfile, host: string): string {
  const body = req.action;
  const headers: Record<string, string> = {
    Action: req.action,
    Agent: profile.version,
    Miner: req.miner,
    NetworkID: req.network,
    OS: req.os ?? 'LIN',
    Solution: req.solution ?? '',
    ThreadID: String(req.threadId ?? 0),
    ...(profile.evo
      ? {
          SessionID: req.evo?.sessionId ?? newSessionId(),
          // -workerid; Miner is the one of -workerid / -workeridfunded chosen (miner.cpp:776-792 @1.4.4.8).
          WorkerID1: req.miner,
          WorkerID2: req.evo?.workerId2 ?? '',
          HTTP_PROTO_VERSION: '2',
        }
      : {}),
    ...req.extraHeaders,
  };
  const lines = mapOrder(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (
    `${req.method ?? 'POST'} /Action.aspx HTTP/1.1\r\n` +
    `User-Agent: ${profile.userAgent}\r\n` +
    `Host: ${host}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `${lines}\r\n${body}`
  );
}

/** Tags are cut from the whole raw buffer, headers included, as the wallet's ExtractXML does. */
export { extractXml as extractTag } from '../../src/biblepay/xml-tag';

export async function walletRequest(req: WalletRequest): Promise<WalletResponse> {
  const url = new URL(req.pool);
  const profile = req.wallet;
  if (profile) {
    return sendRaw(req.pool, buildWalletRequest(req, walletHostHeader(req.pool)), {
      timeoutMs: req.timeoutMs,
      reader: req.reader,
      evo: profile.evo,
      sni: profile.sni ? url.hostname : undefined,
      localAddress: req.localAddress,
      plainStopsOnLowerEof: profile.plainStopsOnLowerEof,
      httpsByteLimit: profile.httpsByteLimit,
    });
  }
  return sendRaw(req.pool, buildWalletRequest(req, url.host), {
    timeoutMs: req.timeoutMs,
    reader: req.reader,
    evo: req.evo !== undefined,
    sni: req.evo ? (req.evo.sni ?? url.hostname) : undefined,
    localAddress: req.localAddress,
  });
}

export interface SendOptions {
  timeoutMs?: number;
  reader?: ReaderKind;
  evo?: boolean;
  /** Server name sent in the TLS handshake; none by default (classic wallets sent none). */
  sni?: string;
  /** Local address to connect from. */
  localAddress?: string;
  /** Plain-HTTP reader: stop on a line holding lowercase `<eof>` (1.2.0.1; default true). */
  plainStopsOnLowerEof?: boolean;
  /** HTTPS reader's byte limit (default 45,000 with `evo`, else 50,000). */
  httpsByteLimit?: number;
}

/**
 * Writes `payload` as is to the pool on a new connection and reads the answer with the chosen
 * reader. Resolves whatever way the reader stopped (a wallet uses what it read); rejects only when
 * no connection could be made.
 */
export async function sendRaw(
  pool: string,
  payload: string,
  options: SendOptions = {},
): Promise<WalletResponse> {
  const url = new URL(pool);
  const secure = url.protocol === 'https:' || options.evo === true;
  const port = Number(url.port || (secure ? 443 : 80));
  const reader = createReader(options.reader ?? (secure ? 'https' : 'http'), options.evo, {
    stopsOnLowerEof: options.plainStopsOnLowerEof,
    byteLimit: options.httpsByteLimit,
  });
  const timeoutMs = options.timeoutMs ?? WALLET_TIMEOUT_MS;
  const started = performance.now();

  return new Promise<WalletResponse>((resolve, reject) => {
    const socket = secure
      ? tls.connect({
          host: url.hostname,
          port,
          rejectUnauthorized: false,
          ...(options.localAddress
            ? {
                socket: net.connect({
                  host: url.hostname,
                  port,
                  localAddress: options.localAddress,
                }),
              }
            : {}),
          ...(options.sni && net.isIP(options.sni) === 0 ? { servername: options.sni } : {}),
        })
      : net.connect({ host: url.hostname, port, localAddress: options.localAddress });
    let connected = false;
    let settled = false;
    let reads = 0;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error && !connected) return reject(error);
      if (error) reader.stop('close');
      const raw = reader.text();
      const headerEnd = raw.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
      resolve({
        raw,
        body: headerEnd < 0 ? '' : raw.slice(headerEnd + 4),
        statusCode: status ? Number(status[1]) : 0,
        reader: reader.kind,
        endedBy: reader.endedBy ?? 'close',
        elapsedMs: performance.now() - started,
        reads,
      });
    };
    const timer = setTimeout(() => {
      reader.stop('timeout');
      finish(connected ? undefined : new Error(`pool did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      connected = true;
      socket.write(payload);
    });
    socket.on('data', (chunk: Buffer) => {
      reads++;
      if (reader.push(chunk)) finish();
    });
    socket.on('end', () => {
      reader.stop('close');
      finish();
    });
    socket.on('error', (error: Error) => finish(error));
  });
}
