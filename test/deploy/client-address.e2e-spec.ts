import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { errorBody, ProtocolError } from '../../src/biblepay/pool-protocol';
import { extractTag, walletRequest } from '../../sim/miner/wallet-http-client';
import { adminDb, RunningApp, startRole } from '../support/harness';
import { freePort } from '../support/role-process';
import { roleEnv } from '../support/test-env';
import { runEntry } from './deploy-process';

/** A getwork as the wallet sends it, with an X-Forwarded-For of the caller's choosing. */
const getwork = (frontend: RunningApp, forwardedFor?: string, miner = randomAddress('main')) =>
  walletRequest({
    pool: frontend.url,
    action: 'readytomine2',
    miner: `${miner}/rig`,
    network: 'main',
    reader: 'https',
    extraHeaders: forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {},
  });

/**
 * X-Forwarded-For is believed only from the proxies TRUST_PROXY lists, and only as far as it holds
 * IP addresses (issue 22). Every client here connects from 127.0.0.1.
 */
describe('the client address: X-Forwarded-For only from listed proxies, and only IP addresses', () => {
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

  it('a client that reaches the port directly is not believed: its own address is recorded and limited', async () => {
    // The proxy is elsewhere (10.0.0.1); 127.0.0.1 is a client like any other.
    const frontend = await startRole('frontend', {
      TRUST_PROXY: '10.0.0.1',
      RATE_LIMIT_ACTION_PER_MINUTE: '3',
    });
    try {
      const first = await getwork(frontend, '203.0.113.1');
      expect(await workIp(extractTag(first.body, 'WORKID'))).toBe('127.0.0.1');
      await getwork(frontend, '203.0.113.2');
      await getwork(frontend, '203.0.113.3');
      // A fresh claimed address does not buy a fresh budget.
      const fourth = await getwork(frontend, '203.0.113.4');
      expect(fourth.body).toBe(errorBody(ProtocolError.rateLimited));
    } finally {
      await frontend.close();
    }
  });

  it("a direct client's X-Forwarded-For does not pass the console's allow-list", async () => {
    const backend = await startRole('backend', {
      TRUST_PROXY: '10.0.0.1',
      ADMIN_TOKEN: 'client-address-test-token-0123456789',
      ADMIN_ALLOW_IPS: '203.0.113.0/24',
      RUN_BACKGROUND_WORK: 'false',
    });
    try {
      const response = await fetch(`${backend.url}/admin/api/actions`, {
        headers: {
          authorization: 'Bearer client-address-test-token-0123456789',
          'x-forwarded-for': '203.0.113.9',
        },
      });
      expect(response.status).toBe(403);
    } finally {
      await backend.close();
    }
  });

  it('a junk X-Forwarded-For from a trusted proxy is ignored: the proxy is recorded, the other wallets of the group get work', async () => {
    const frontend = await startRole('frontend', { TRUST_PROXY: '127.0.0.1' });
    try {
      const junk = 'x'.repeat(60);
      // Sent together, so they share the group commit of `work` (one multi-row INSERT).
      // One miner (known after the first getwork); `work` held locked while the getworks arrive,
      // so the rows pile up behind the first INSERTs and most ride in one (the junk one's too).
      const miner = randomAddress('main');
      await getwork(frontend, '198.51.100.200', miner);
      await db.query('LOCK TABLES work WRITE');
      const pending = Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          getwork(frontend, i === 40 ? junk : `198.51.100.${i + 1}`, miner),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 700));
      await db.query('UNLOCK TABLES');
      const answers = await pending;
      const workIds = answers.map((a) => extractTag(a.body, 'WORKID'));
      expect(answers.map((a) => extractTag(a.body, 'ERROR'))).toEqual(answers.map(() => ''));
      expect(await workIp(workIds[40])).toBe('127.0.0.1');
      expect(await workIp(workIds[41])).toBe('198.51.100.42');
      // A junk hop ends the chain there: what the client wrote before it is not believed either.
      const spoof = await getwork(frontend, `6.6.6.6, ${junk}, 198.51.100.99`);
      expect(await workIp(extractTag(spoof.body, 'WORKID'))).toBe('198.51.100.99');
      const port = await getwork(frontend, '198.51.100.7:4711');
      expect(await workIp(extractTag(port.body, 'WORKID'))).toBe('127.0.0.1');
    } finally {
      await frontend.close();
    }
  });

  it.each(['true', '1'])(
    'TRUST_PROXY=%s stops the boot: one line saying what to write instead, exit 2',
    async (value) => {
      const refused = runEntry('src/main.ts', {
        ...roleEnv('frontend'),
        TRUST_PROXY: value,
        HTTP_PORT: String(await freePort()),
      });
      const exit = await refused.exited;
      const output = refused.output().trim();
      expect({ exit, lines: output.split('\n').length }).toEqual({ exit: 2, lines: 1 });
      expect(output).toMatch(
        /^Invalid environment: TRUST_PROXY must list the proxies' addresses or CIDR ranges, .*write e\.g\. TRUST_PROXY=127\.0\.0\.1,10\.0\.0\.0\/8$/,
      );
    },
  );
});
