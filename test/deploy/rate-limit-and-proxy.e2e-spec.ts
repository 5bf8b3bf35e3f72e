import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { errorBody, ProtocolError } from '../../src/biblepay/pool-protocol';
import { extractTag, walletRequest } from '../../sim/miner/wallet-http-client';
import { adminDb, RunningApp, startRole } from '../support/harness';

/**
 * A getwork as the wallet sends it, arriving through proxies that wrote `forwardedFor`; read with the
 * HTTPS reader, which keeps the whole body (the plain-HTTP one stops inside the last line).
 */
const getwork = (frontend: RunningApp, forwardedFor?: string, miner = randomAddress('main')) =>
  walletRequest({
    pool: frontend.url,
    action: 'readytomine2',
    miner: `${miner}/rig`,
    network: 'main',
    reader: 'https',
    extraHeaders: forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {},
  });

describe('per-IP rate limits and the miner IP behind proxies', () => {
  let db: mysql.Connection;
  beforeAll(async () => {
    db = await adminDb();
  });
  afterAll(() => db.end());

  const workIp = async (workId: string): Promise<string> => {
    const [[row]] = await db.query<mysql.RowDataPacket[]>('SELECT ip FROM work WHERE id = ?', [
      workId,
    ]);
    return String(row.ip);
  };

  describe('TRUST_PROXY takes the hop just before the listed proxies', () => {
    // The chain a spoofing miner produces through two proxies: it wrote 6.6.6.6 itself, the outer
    // proxy (10.0.0.2) appended the miner's real address, the inner proxy (this test, 127.0.0.1)
    // the outer proxy's.
    const chain = '6.6.6.6, 198.51.100.7, 10.0.0.2';
    it.each([
      ['false', '127.0.0.1'],
      ['10.0.0.0/8', '127.0.0.1'],
      ['127.0.0.1', '10.0.0.2'],
      ['127.0.0.1,10.0.0.0/8', '198.51.100.7'],
    ])('TRUST_PROXY=%s records %s as the miner IP', async (trustProxy, expected) => {
      const frontend = await startRole('frontend', { TRUST_PROXY: trustProxy });
      try {
        const answer = await getwork(frontend, chain);
        expect(await workIp(extractTag(answer.body, 'WORKID'))).toBe(expected);
      } finally {
        await frontend.close();
      }
    });
  });

  describe('with 5 protocol and 3 web requests per minute', () => {
    let frontend: RunningApp;
    beforeAll(async () => {
      frontend = await startRole('frontend', {
        TRUST_PROXY: '127.0.0.1',
        RATE_LIMIT_ACTION_PER_MINUTE: '5',
        RATE_LIMIT_WEB_PER_MINUTE: '3',
      });
    });
    afterAll(() => frontend.close());

    it('refuses the 6th getwork of a minute in the protocol error format, with a literal Content-Length', async () => {
      const miner = '203.0.113.10';
      for (let i = 0; i < 5; i++) {
        const ok = await getwork(frontend, miner);
        expect(extractTag(ok.body, 'WORKID')).not.toBe('');
      }
      const refused = await getwork(frontend, miner);
      const body = errorBody(ProtocolError.rateLimited);
      expect(refused.statusCode).toBe(200);
      expect(refused.body).toBe(body);
      expect(refused.raw).toContain(`\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`);
      expect(refused.raw.toLowerCase()).not.toContain('transfer-encoding');
    });

    it('counts the miner behind the proxy, not the proxy: other miners and spoofed prefixes do not help or hurt', async () => {
      const limited = '203.0.113.20';
      for (let i = 0; i < 5; i++) await getwork(frontend, `${i}.${i}.${i}.${i}, ${limited}`);
      const spoofed = await getwork(frontend, `9.9.9.9, ${limited}`);
      expect(spoofed.body).toBe(errorBody(ProtocolError.rateLimited));
      const neighbour = await getwork(frontend, '203.0.113.21');
      expect(extractTag(neighbour.body, 'WORKID')).not.toBe('');
    });

    it('answers the 4th page view of a minute with 429 and a JSON body; /health is never limited', async () => {
      const headers = { 'X-Forwarded-For': '198.51.100.50' };
      for (let i = 0; i < 3; i++) {
        const page = await fetch(`${frontend.url}/main`, { headers });
        expect(page.status).not.toBe(429);
      }
      const refused = await fetch(`${frontend.url}/main`, { headers });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      for (let i = 0; i < 10; i++) {
        expect((await fetch(`${frontend.url}/health`, { headers })).status).toBe(200);
      }
      // The protocol has its own budget: a visitor over the web limit can still mine.
      const work = await getwork(frontend, '198.51.100.50');
      expect(extractTag(work.body, 'WORKID')).not.toBe('');
    });
  });

  it('RATE_LIMIT_ACTION_PER_MINUTE=0 turns the protocol limit off while the web one stays on', async () => {
    const frontend = await startRole('frontend', {
      RATE_LIMIT_ACTION_PER_MINUTE: '0',
      RATE_LIMIT_WEB_PER_MINUTE: '3',
    });
    try {
      const answers = await Promise.all(Array.from({ length: 30 }, () => getwork(frontend)));
      expect(answers.every((a) => extractTag(a.body, 'WORKID') !== '')).toBe(true);
    } finally {
      await frontend.close();
    }
  });
});
