import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { ReaderKind } from '../../sim/miner/answer-readers';
import {
  extractTag,
  WalletRequest,
  walletRequest,
  WalletResponse,
} from '../../sim/miner/wallet-http-client';
import { selfSigned } from '../support/certificates';
import { adminDb, RunningApp, startRole } from '../support/harness';
import { wellFormedSolution } from '../support/solutions';

/**
 * Every answer of `/Action.aspx` read by both of the wallet's readers (docs/PROTOCOL.md): each must
 * stop on its terminator, at once — not on the server closing, not on the wallet's timeout.
 */
const READER_TIMEOUT_MS = 5000;

interface Transport {
  name: string;
  url: () => string;
  reader: ReaderKind;
  evo?: WalletRequest['evo'];
}

describe('every answer finishes promptly in both wallet readers', () => {
  let plain: RunningApp;
  let secure: RunningApp;
  let limited: RunningApp;
  let orphan: RunningApp;
  let db: mysql.Connection;
  let dir: string;
  let certFile: string;
  const disabled = randomAddress('main');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'purepool-readers-'));
    const { cert, key } = selfSigned(dir, 'pool');
    certFile = cert;
    plain = await startRole('frontend');
    secure = await startRole('frontend', { TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
    limited = await startRole('frontend', { RATE_LIMIT_ACTION_PER_MINUTE: '1' });
    // A broker that cannot be reached: the solution path answers "temporarily unavailable".
    orphan = await startRole('frontend', {
      AMQP_URL: 'amqp://nobody:nothing@127.0.0.1:1/none',
      BROKER_CONNECT_WAIT_MS: '0',
    });
    db = await adminDb();
    await db.query(
      "INSERT INTO miner (guid, network, address, disabled, created_at) VALUES (UUID(), 'main', ?, 1, NOW(3))",
      [disabled],
    );
  });
  afterAll(async () => {
    await Promise.all([plain, secure, limited, orphan].map((app) => app?.close()));
    await db?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  const httpsUrl = (app: RunningApp): string => app.url.replace('http://', 'https://');
  const transports: Transport[] = [
    { name: 'classic http:// (plain-HTTP reader)', url: () => plain.url, reader: 'http' },
    { name: 'HTTPS reader over plain TCP', url: () => plain.url, reader: 'https' },
    { name: 'classic https:// (no SNI)', url: () => httpsUrl(secure), reader: 'https' },
    {
      name: 'Evo (TLS, SNI, Evo headers)',
      url: () => httpsUrl(secure),
      reader: 'https',
      evo: { sessionId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', sni: 'localhost' },
    },
  ];

  /** The wallet's request; fails the test unless the reader stopped on a terminator, promptly. */
  const ask = async (
    transport: Transport,
    req: Omit<WalletRequest, 'pool' | 'reader'>,
    pool = transport.url(),
  ): Promise<WalletResponse> => {
    const res = await walletRequest({
      pool,
      reader: transport.reader,
      evo: transport.evo,
      timeoutMs: READER_TIMEOUT_MS,
      ...req,
    });
    expect({ endedBy: res.endedBy, raw: res.raw }).toEqual({
      endedBy: 'terminator',
      raw: expect.any(String) as string,
    });
    expect(res.elapsedMs).toBeLessThan(1000);
    expectWellFormed(res);
    return res;
  };

  const errorOf = (res: WalletResponse): string => extractTag(res.raw, 'ERROR');

  describe.each(transports)('$name', (transport) => {
    it('getwork: work, terminators, Connection: keep-alive, Content-Length last, one write', async () => {
      const res = await ask(transport, {
        action: 'readytomine2',
        miner: `${randomAddress('main')}/rig`,
        network: 'main',
      });
      const workId = extractTag(res.raw, 'WORKID');
      expect(workId).not.toBe('');
      expectBody(
        res,
        new RegExp(`<WORKID>${workId}</WORKID></RESPONSE><END></HTML><EOF></EOF>\r\n$`),
      );
    });

    it('solution: ok', async () => {
      const res = await ask(transport, {
        action: 'solution',
        miner: randomAddress('main'),
        network: 'main',
        solution: wellFormedSolution(),
      });
      expect(extractTag(res.raw, 'STATUS')).toBe('ok');
      expectBody(
        res,
        /^<RESPONSE><STATUS>ok<\/STATUS><WORKID>[^<]+<\/WORKID><\/RESPONSE><END><\/HTML>\r\n$/,
      );
    });

    it.each([
      ['unknown action', { action: 'mine', miner: 'x', network: 'main' }, 'UNKNOWN ACTION mine'],
      ['invalid network', { action: 'readytomine2', miner: 'x', network: 'x' }, 'Invalid network'],
      [
        'missing worker id',
        { action: 'readytomine2', miner: '', network: 'main' },
        'WorkerID is missing',
      ],
      [
        'invalid worker id',
        { action: 'readytomine2', miner: 'nope', network: 'main' },
        'WorkerID nope is invalid',
      ],
      [
        'missing solution',
        { action: 'solution', miner: 'x', network: 'main', solution: '' },
        'Solution is missing',
      ],
      [
        'invalid solution',
        { action: 'solution', miner: 'x', network: 'main', solution: '1,2,3' },
        'Invalid Solution',
      ],
    ])('error: %s', async (_, req, message) => {
      const res = await ask(transport, req);
      expect(errorOf(res)).toBe(message);
      expectBody(
        res,
        `<RESPONSE>${message}</RESPONSE><ERROR>${message}</ERROR><EOF><END></HTML>\r\n`,
      );
    });

    it('error: disabled miner', async () => {
      const res = await ask(transport, {
        action: 'readytomine2',
        miner: disabled,
        network: 'main',
      });
      expect(errorOf(res)).toBe(`Miner ${disabled} is disabled`);
    });
  });

  describe.each(transports.slice(0, 2))('$name, refusals before and around the handler', (t) => {
    it('the rate-limit refusal', async () => {
      const req = { action: 'readytomine2', miner: randomAddress('main'), network: 'main' };
      const answers = [
        await ask(t, req, limited.url),
        await ask(t, req, limited.url),
        await ask(t, req, limited.url),
      ];
      expect(answers.map(errorOf)).toContain('Too many requests, slow down');
    });

    it('the unavailable answer (broker unreachable)', async () => {
      const res = await ask(
        t,
        {
          action: 'solution',
          miner: randomAddress('main'),
          network: 'main',
          solution: wellFormedSolution(),
        },
        orphan.url,
      );
      expect(errorOf(res)).toBe('Pool is temporarily unavailable, please retry');
    });
  });

  it('stores the Evo SessionID with the work row', async () => {
    const evo = transports[3];
    const res = await ask(evo, {
      action: 'readytomine2',
      miner: `${randomAddress('main')}/evo`,
      network: 'main',
    });
    const [[work]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT session_id, agent FROM work WHERE id = ?',
      [extractTag(res.raw, 'WORKID')],
    );
    expect(work).toEqual({ session_id: evo.evo!.sessionId, agent: '1.4.4.8' });
  });

  it('presents a certificate that verifies for the name an Evo wallet sends by SNI', async () => {
    const port = Number(new URL(httpsUrl(secure)).port);
    const authorized = await new Promise<boolean>((resolve, reject) => {
      const socket = tls.connect(
        { host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(certFile) },
        () => {
          resolve(socket.authorized);
          socket.end();
        },
      );
      socket.on('error', reject);
    });
    expect(authorized).toBe(true);
  });
});

/**
 * Headers with `Connection: keep-alive` (the wallet closes) and `Content-Length` last, all in one read. The plain-HTTP reader
 * stops inside the last line (right after `<END>`), so it holds a prefix of the body.
 */
function expectWellFormed(res: WalletResponse): void {
  const head = res.raw.slice(0, res.raw.indexOf('\r\n\r\n'));
  const headers = head.split('\r\n').slice(1);
  expect(headers).toContain('Connection: keep-alive');
  const last = /^Content-Length: (\d+)$/.exec(headers[headers.length - 1]);
  expect(last).not.toBeNull();
  const held = Buffer.byteLength(res.body);
  if (res.reader === 'https') expect(Number(last![1])).toBe(held);
  else expect(Number(last![1]) - held).toBeLessThanOrEqual('</HTML><EOF></EOF>\r\n'.length);
  expect(res.reads).toBe(1);
}

/** The whole body (HTTPS reader) or the part the plain-HTTP reader holds when it stops. */
function expectBody(res: WalletResponse, expected: string | RegExp): void {
  if (res.reader === 'https') {
    if (typeof expected === 'string') expect(res.body).toBe(expected);
    else expect(res.body).toMatch(expected);
    return;
  }
  // It stops on the line that holds <END>, at that very byte (RecvHttpLine, net.cpp:2783-2786
  // @1.2.0.1).
  expect(res.body).toMatch(/<END>$/);
  if (typeof expected === 'string') expect(expected.startsWith(res.body)).toBe(true);
  else {
    const upToEnd = expected.source.slice(0, expected.source.indexOf('<END>') + '<END>'.length);
    expect(res.body).toMatch(new RegExp(`${upToEnd}$`));
  }
}
