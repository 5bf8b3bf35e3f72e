import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net, { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { randomAddress } from '../../src/biblepay/address';
import { solutionAcceptedBody, workBody } from '../../src/biblepay/pool-protocol';
import { selfSigned } from '../../test/support/certificates';
import { runSimMiner } from './sim-miner';
import {
  buildWalletRequest,
  walletRequest,
  WalletRequest,
  WalletResponse,
} from './wallet-http-client';
import { WALLET_PROFILES, WalletVersion } from './wallet-profiles';

/*
 * The request bytes of each wallet release, written out by hand from its PrepareHTTPPost and header
 * map (docs/fidelity-notes.md §3.2): request line, User-Agent, Host, Content-Length, then the
 * std::map in key order, blank line, the action as the body.
 */
const MINER = 'BPoolMinerAddressForTheGoldenBytes1/rig';
const SESSION = 'c0ffee'.repeat(10) + 'beef'; // 64 hex

const CLASSIC_HEADERS =
  'Action: readytomine2\r\n' +
  'Agent: VER\r\n' +
  `Miner: ${MINER}\r\n` +
  'NetworkID: main\r\n' +
  'OS: LIN\r\n' +
  'Solution: \r\n' +
  'ThreadID: 3\r\n';
const EVO_HEADERS =
  'Action: readytomine2\r\n' +
  'Agent: VER\r\n' +
  'HTTP_PROTO_VERSION: 2\r\n' +
  `Miner: ${MINER}\r\n` +
  'NetworkID: main\r\n' +
  'OS: LIN\r\n' +
  `SessionID: ${SESSION}\r\n` +
  'Solution: \r\n' +
  'ThreadID: 3\r\n' +
  `WorkerID1: ${MINER}\r\n` +
  'WorkerID2: \r\n';

const golden = (userAgent: string, version: string, evo: boolean): string =>
  'POST /Action.aspx HTTP/1.1\r\n' +
  `User-Agent: ${userAgent}\r\n` +
  'Host: pool.example.org\r\n' +
  'Content-Length: 12\r\n' +
  (evo ? EVO_HEADERS : CLASSIC_HEADERS).replace('VER', version) +
  '\r\n' +
  'readytomine2';

const GOLDEN: Record<WalletVersion, string> = {
  // net.cpp:2917-2929 @1.1.3.8
  '1.1.3.8': golden('BiblePay-QT/1.1.3.8', '1.1.3.8', false),
  // net.cpp:2909-2921 @1.2.0.1
  '1.2.0.1': golden('Mozilla/5.0/1.2.0.1', '1.2.0.1', false),
  // rpcpog.cpp:1889-1932 @1.4.4.8
  '1.4.4.8': golden('Mozilla/5.0/1.4.4.8', '1.4.4.8', true),
  // rpcpog.cpp:1997-2047 @1.4.8.4
  '1.4.8.4': golden(
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/47.0.2526.80 Safari/537.36/1.4.8.4',
    '1.4.8.4',
    true,
  ),
};

const getworkRequest = (version: WalletVersion): WalletRequest => ({
  pool: 'https://pool.example.org',
  action: 'readytomine2',
  miner: MINER,
  network: 'main',
  threadId: 3,
  wallet: WALLET_PROFILES[version],
  evo: { sessionId: SESSION },
});

describe('request bytes per wallet release', () => {
  it.each(Object.keys(GOLDEN) as WalletVersion[])('%s writes its own bytes', (version) => {
    expect(buildWalletRequest(getworkRequest(version), 'pool.example.org')).toBe(GOLDEN[version]);
  });

  it('a solution carries its 16 fields in Solution, in the same place of the map order', () => {
    const bytes = buildWalletRequest(
      { ...getworkRequest('1.2.0.1'), action: 'solution', solution: 'a,b' },
      'h',
    );
    expect(bytes).toContain('Content-Length: 8\r\n');
    expect(bytes).toContain('OS: LIN\r\nSolution: a,b\r\nThreadID: 3\r\n\r\nsolution');
  });

  it('an Evo wallet names a 64-hex session when none is given', () => {
    const bytes = buildWalletRequest({ ...getworkRequest('1.4.4.8'), evo: undefined }, 'h');
    expect(bytes).toMatch(/\r\nSessionID: [0-9a-f]{64}\r\n/);
  });

  describe('on the wire', () => {
    let dir: string;
    let servers: (net.Server | tls.Server)[] = [];
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'purepool-wallets-'));
    });
    afterEach(async () => {
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
      servers = [];
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** A server that keeps the request's bytes (and the TLS server name) and answers work. */
    const listen = async (
      secure: boolean,
    ): Promise<{ url: string; seen: Promise<{ bytes: string; sni: string | false | null }> }> => {
      let resolveSeen!: (seen: { bytes: string; sni: string | false | null }) => void;
      const seen = new Promise<{ bytes: string; sni: string | false | null }>(
        (resolve) => (resolveSeen = resolve),
      );
      const body = workBody({
        address: randomAddress('main'),
        hashTarget: 'f'.repeat(64),
        minerGuid: 'g',
        workId: 'w',
      });
      const onSocket = (socket: net.Socket, sni: string | false | null): void => {
        let bytes = '';
        socket.on('data', (chunk: Buffer) => {
          bytes += chunk.toString('latin1');
          if (bytes.endsWith('\r\n\r\nreadytomine2')) {
            resolveSeen({ bytes, sni });
            socket.end(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
          }
        });
        socket.on('error', () => undefined);
      };
      let server: net.Server | tls.Server;
      if (secure) {
        const { cert, key } = selfSigned(dir, 'pool');
        server = tls.createServer(
          { cert: readFileSync(cert), key: readFileSync(key) },
          (socket: tls.TLSSocket) => onSocket(socket, socket.servername),
        );
      } else {
        server = net.createServer((socket) => onSocket(socket, null));
      }
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      return { url: `${secure ? 'https' : 'http'}://localhost:${port}`, seen };
    };

    it.each([
      ['1.1.3.8', false, null],
      ['1.2.0.1', false, null],
      // Evo: TLS whatever the URL says; SNI only from 1.4.8.4 on (rpcpog.cpp:2066 @1.4.8.4).
      ['1.4.4.8', true, false],
      ['1.4.8.4', true, 'localhost'],
    ] as const)(
      '%s: Host is the domain as written, without the port the pool listens on',
      async (version, secure, sni) => {
        const server = await listen(secure);
        const url = secure ? server.url.replace('https:', 'http:') : server.url;
        const answer = await walletRequest({ ...getworkRequest(version), pool: url });
        expect(answer.endedBy).toBe('terminator');
        const seen = await server.seen;
        expect(seen.bytes).toBe(GOLDEN[version].replace('pool.example.org', 'localhost'));
        expect(seen.sni).toBe(sni);
      },
    );
  });
});

describe('cadence of each wallet release (fake timers)', () => {
  interface Sent {
    at: number;
    action: string;
    threadId: number;
    workId?: string;
  }
  const T0 = Date.parse('2026-12-06T00:00:00Z');
  const address = randomAddress('main');

  /**
   * Runs the wallet for `seconds` of fake time against a pool that answers at once (a getwork
   * answer after `getworkDelaySeconds` the first time); returns every request with its time.
   */
  const run = async (
    wallet: WalletVersion,
    seconds: number,
    opts: { threads?: number; fast?: boolean; firstGetworkDelaySeconds?: number } = {},
  ) => {
    const sent: Sent[] = [];
    const start = Date.now();
    let works = 0;
    const answer = (body: string): WalletResponse => ({
      raw: `HTTP/1.1 200 OK\r\n\r\n${body}`,
      body,
      statusCode: 200,
      reader: 'https',
      endedBy: 'terminator',
      elapsedMs: 0,
      reads: 1,
    });
    const send = async (req: WalletRequest): Promise<WalletResponse> => {
      const at = (Date.now() - start) / 1000;
      if (req.action === 'solution') {
        const workId = String(req.solution).split(',')[6];
        sent.push({ at, action: req.action, threadId: req.threadId ?? 0, workId });
        return answer(solutionAcceptedBody(workId));
      }
      sent.push({ at, action: req.action, threadId: req.threadId ?? 0 });
      const workId = `work-${++works}`;
      if (works === 1 && opts.firstGetworkDelaySeconds) {
        await new Promise((r) => setTimeout(r, opts.firstGetworkDelaySeconds! * 1000));
      }
      return answer(
        workBody({ address, hashTarget: '0f' + 'f'.repeat(62), minerGuid: 'g', workId }),
      );
    };
    const summary = runSimMiner({
      pool: 'http://pool.example.org',
      wallet,
      fast: opts.fast,
      threads: opts.threads ?? 1,
      shareSeconds: 5,
      durationSeconds: seconds,
      send,
    });
    await jest.advanceTimersByTimeAsync(seconds * 1000 + 1000);
    return { summary: await summary, sent };
  };

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'], now: T0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const times = (sent: Sent[], action: string, threadId?: number): number[] =>
    sent
      .filter((s) => s.action === action && (threadId === undefined || s.threadId === threadId))
      .map((s) => s.at);

  it('classic: a getwork every more than 3 minutes per thread, its work shared through the cache', async () => {
    const { sent, summary } = await run('1.2.0.1', 10 * 60, { threads: 3 });
    // Each round: thread 0 asks and sleeps a second; thread 1 (100 ms later) takes its work from
    // the cache and, its search being instant here, sends at once — which clears the cache —, so
    // thread 2 (200 ms) asks again.
    const rounds = [0, 181, 362, 543];
    expect(times(sent, 'readytomine2')).toEqual(rounds.flatMap((t) => [t, t + 0.2]));
    const solutions = sent.filter((s) => s.action === 'solution');
    expect(solutions.map((s) => [s.at, s.threadId])).toEqual(
      rounds.flatMap((t) => [
        [t + 0.1, 1],
        [t + 1, 0],
        [t + 1.2, 2],
      ]),
    );
    for (let i = 0; i < solutions.length; i += 3) {
      expect(solutions[i].workId).toBe(solutions[i + 1].workId); // threads 1 and 0: one WORKID
      expect(solutions[i + 2].workId).not.toBe(solutions[i].workId);
    }
    expect(summary).toMatchObject({ cadence: 'real', wallet: '1.2.0.1', accepted: 12 });
  });

  it('Evo: the threads wait for the one getwork under way and share its work', async () => {
    const { sent } = await run('1.4.4.8', 10 * 60, { threads: 3 });
    expect(times(sent, 'readytomine2')).toEqual([0, 181, 362, 543]);
    const solutions = sent.filter((s) => s.action === 'solution');
    expect(solutions).toHaveLength(12);
    for (const at of [0, 181, 362, 543]) {
      const round = solutions.filter((s) => s.at === at);
      expect(round.map((s) => s.threadId).sort()).toEqual([0, 1, 2]);
      expect(new Set(round.map((s) => s.workId)).size).toBe(1);
    }
  });

  it("classic: a share waits until more than 2 minutes passed since the thread's last", async () => {
    // The first answer takes 170 s, then the thread sleeps a second: share at 171; next getwork
    // at 181, its share only at 292 (more than 120 s after 171).
    const { sent } = await run('1.1.3.8', 400, { firstGetworkDelaySeconds: 170 });
    expect(times(sent, 'readytomine2')).toEqual([0, 181, 362]);
    expect(times(sent, 'solution')).toEqual([171, 292]); // the next one would be at 413
  });

  it('Evo 1.4.4.8: no share gate — the share follows the work at once', async () => {
    const { sent } = await run('1.4.4.8', 400, { firstGetworkDelaySeconds: 170 });
    expect(times(sent, 'readytomine2')).toEqual([0, 181, 362]);
    expect(times(sent, 'solution')).toEqual([170, 181, 362]);
  });

  it('Evo 1.4.8.4 asks for work and never sends a share; its work lasts 15 minutes', async () => {
    const { sent, summary } = await run('1.4.8.4', 40 * 60, { threads: 2 });
    expect(times(sent, 'solution')).toEqual([]);
    expect(times(sent, 'readytomine2')).toEqual([0, 901, 1802]);
    expect(summary).toMatchObject({ sharesSent: 0, getworks: 3 });
    expect(summary.sharesWithheld).toBeGreaterThanOrEqual(6);
  });

  it('--fast keeps the quick cadence with the release bytes; 1.4.8.4 still sends nothing', async () => {
    const fast = await run('1.2.0.1', 22, { fast: true });
    expect(fast.summary.cadence).toBe('fast');
    expect(times(fast.sent, 'solution')).toEqual([0, 5, 10, 15, 20]);
    const silent = await run('1.4.8.4', 22, { fast: true });
    expect(times(silent.sent, 'readytomine2')).toEqual([0, 5, 10, 15, 20]);
    expect(times(silent.sent, 'solution')).toEqual([]);
  });
});
