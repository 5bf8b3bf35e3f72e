import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import type { SimNodeOptions } from '../../sim/node/options';
import { mineOneShare, PoolRefusedError, requestWork } from '../../sim/miner/sim-miner';
import type { WalletVersion } from '../../sim/miner/wallet-profiles';
import { selfSigned } from '../support/certificates';
import { adminDb, eventually, RunningApp, startRole } from '../support/harness';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';

/*
 * Issue 24 step 8: a wallet that never submits shares (Evo 1.4.8.x: the UpdatePoolProgress call is
 * commented out, src/miner.cpp:922-939 @1.4.8.4) is told so at getwork, in the protocol's ERROR
 * answer the wallet shows; the releases that do submit get work and their shares are accepted by
 * the node of their own generation. Each wallet speaks with its own request bytes and reader
 * (sim/miner/wallet-profiles.ts); Evo wallets always use TLS.
 */
interface Case {
  name: string;
  node: Partial<SimNodeOptions>;
  tls: boolean;
  works: WalletVersion[];
}

const CASES: Case[] = [
  {
    name: 'a classic 1.2.0.1 node above PODC',
    node: { flavor: 'classic', clientVersion: 1_020_001, startHeight: 110_000 },
    tls: false,
    works: ['1.2.0.1'],
  },
  {
    name: 'an Evo 1.4.4.8 node',
    node: { flavor: 'evo', clientVersion: 1_040_408, startHeight: 130_000 },
    tls: true,
    works: ['1.4.4.8'],
  },
];

describe.each(CASES)('wallet releases against $name', ({ node, tls, works }) => {
  let pool: PoolFixture;
  let frontend: RunningApp;
  let backend: RunningApp;
  let db: mysql.Connection;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'purepool-wallets-'));
    pool = await startPoolFixture(node);
    const { cert, key } = selfSigned(dir, 'pool');
    frontend = tls
      ? await startRole('frontend', { ...pool.env, TLS_CERT_FILE: cert, TLS_KEY_FILE: key })
      : pool.frontend;
    url = tls ? frontend.url.replace('http://', 'https://') : frontend.url;
    backend = await startRole('backend', pool.env);
    db = await adminDb();
  });
  afterAll(async () => {
    await backend?.close();
    if (tls) await frontend?.close();
    await pool?.close();
    await db?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  // 1.4.8.4 connects with TLS only (src/miner.cpp:602-623 @1.4.8.4).
  if (tls) {
    it('refuses Evo 1.4.8.4 at getwork, naming the releases that submit shares', async () => {
      const refusal = await requestWork({
        pool: url,
        network: 'main',
        workerId: `${randomAddress('main')}/w0`,
        wallet: '1.4.8.4',
      }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(PoolRefusedError);
      expect((refusal as Error).message).toBe(
        'Wallet 1.4.8.4 does not submit pool shares; run 1.4.4.8 or 1.4.5.x (Evo) or 1.2.0.1 (classic) to mine here',
      );
    });
  }

  it.each(works)('gives %s work and the node accepts its share', async (wallet) => {
    const share = await mineOneShare({
      pool: url,
      network: 'main',
      node: pool.node.url,
      wallet,
    });
    expect(share.outcomes).toEqual([{ ok: true, workId: share.work.workId }]);
    const outcome = await eventually(
      async () => {
        const [accepted] = await db.query<mysql.RowDataPacket[]>(
          'SELECT id FROM solution WHERE work_id = ?',
          [share.work.workId],
        );
        const [rejected] = await db.query<mysql.RowDataPacket[]>(
          'SELECT reason FROM rejected_solution WHERE work_id = ?',
          [share.work.workId],
        );
        return [...accepted.map(() => 'accepted'), ...rejected.map((r) => String(r.reason))];
      },
      (o) => o.length > 0,
    );
    expect(outcome).toEqual(['accepted']);
    const [[work]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT agent, session_id FROM work WHERE id = ?',
      [share.work.workId],
    );
    expect(work.agent).toBe(wallet);
    if (tls) expect(work.session_id).toMatch(/^[0-9a-f]{64}$/);
  });
});
