import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { randomAddress } from '../../src/biblepay/address';
import { ACTION_IDLE_TIMEOUT_MS } from '../../src/server/action-idle-timeout';
import { createReader, ReaderKind } from '../../sim/miner/answer-readers';
import { buildWalletRequest } from '../../sim/miner/wallet-http-client';
import { selfSigned } from '../support/certificates';
import { RunningApp, startRole } from '../support/harness';

/**
 * The cheap close (issue 23): the server answers without closing the connection — the wallet's
 * reader stops at the terminator and the wallet closes — and a client that reads its answer but
 * never closes is cut off after ACTION_IDLE_TIMEOUT_MS, not after the 65 s keep-alive time.
 */
interface Outcome {
  /** ms from connecting to the reader stopping on the terminator (null: it never did). */
  answeredMs: number | null;
  /** ms from connecting to the server closing the connection (null: not within `waitMs`). */
  serverClosedMs: number | null;
  raw: string;
}

/** A wallet reader that never closes its socket: the request, the answer, then it just waits. */
function readAndLinger(
  pool: string,
  reader: ReaderKind,
  waitMs: number,
  extraHeaders: Record<string, string> = {},
  http10 = false,
): Promise<Outcome> {
  const url = new URL(pool);
  const secure = url.protocol === 'https:';
  let request = buildWalletRequest(
    {
      pool,
      action: 'readytomine2',
      miner: `${randomAddress('main')}/linger`,
      network: 'main',
      extraHeaders,
    },
    url.host,
  );
  if (http10) request = request.replace(' HTTP/1.1\r\n', ' HTTP/1.0\r\n');
  const answer = createReader(reader);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = secure
      ? tls.connect({ host: url.hostname, port: Number(url.port), rejectUnauthorized: false })
      : net.connect({ host: url.hostname, port: Number(url.port) });
    let answeredMs: number | null = null;
    const done = (serverClosedMs: number | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answeredMs, serverClosedMs, raw: answer.text() });
    };
    const timer = setTimeout(() => done(null), waitMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      if (answeredMs === null && answer.push(chunk) && answer.endedBy === 'terminator')
        answeredMs = performance.now() - started;
    });
    socket.on('end', () => done(performance.now() - started));
    socket.on('close', () => done(performance.now() - started));
    socket.on('error', () => done(performance.now() - started));
  });
}

describe('Action.aspx connections: the wallet closes, an idle one is cut off', () => {
  let plain: RunningApp;
  let secure: RunningApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'purepool-idle-'));
    const { cert, key } = selfSigned(dir, 'pool');
    plain = await startRole('frontend');
    secure = await startRole('frontend', { TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
  });
  afterAll(async () => {
    await Promise.all([plain, secure].map((app) => app?.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['classic http:// reader', (): string => plain.url, 'http' as const],
    [
      'HTTPS reader over TLS',
      (): string => secure.url.replace('http://', 'https://'),
      'https' as const,
    ],
  ])(
    '%s: answered at once, the server leaves the socket open, then cuts it off',
    async (_, pool, reader) => {
      const waitMs = ACTION_IDLE_TIMEOUT_MS + 3000;
      const outcome = await readAndLinger(pool(), reader, waitMs);
      expect(outcome.answeredMs).not.toBeNull();
      expect(outcome.answeredMs!).toBeLessThan(1000);
      expect(outcome.raw).toContain('Connection: keep-alive\r\nContent-Length: ');
      // The server did not close right after its answer: the wallet's own close is the cheap one.
      expect(outcome.serverClosedMs).not.toBeNull();
      expect(outcome.serverClosedMs! - outcome.answeredMs!).toBeGreaterThanOrEqual(
        ACTION_IDLE_TIMEOUT_MS - 200,
      );
      // …and a reader that never closes is cut off by the idle timeout (not the 65 s keep-alive).
      expect(outcome.serverClosedMs!).toBeLessThan(ACTION_IDLE_TIMEOUT_MS + 2000);
    },
  );

  it('an HTTP/1.0 client (cannot keep a connection) gets Connection: close and the server closes', async () => {
    const outcome = await readAndLinger(plain.url, 'http', 3000, {}, true);
    expect(outcome.raw).toContain('Connection: close\r\nContent-Length: ');
    expect(outcome.serverClosedMs).not.toBeNull();
    expect(outcome.serverClosedMs!).toBeLessThan(1000);
  });

  it('a client that sends Connection: close gets it, and the server closes', async () => {
    const outcome = await readAndLinger(plain.url, 'http', 3000, { Connection: 'close' });
    expect(outcome.raw).toContain('Connection: close\r\nContent-Length: ');
    expect(outcome.serverClosedMs!).toBeLessThan(1000);
  });
});
