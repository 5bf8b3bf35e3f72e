import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { extractTag, walletRequest } from '../../sim/miner/wallet-http-client';
import { adminDb, RunningApp, startRole } from '../support/harness';

describe('first getworks racing across two frontends', () => {
  let frontends: RunningApp[];
  let db: mysql.Connection;

  beforeAll(async () => {
    frontends = [await startRole('frontend'), await startRole('frontend')];
    db = await adminDb();
  });
  afterAll(async () => {
    await Promise.all(frontends.map((f) => f.close()));
    await db.end();
  });

  it('50 parallel first getworks for one new address → one miner, one worker, 50 work rows, 50 answers', async () => {
    const address = randomAddress('main');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        walletRequest({
          pool: frontends[i % 2].url,
          action: 'readytomine2',
          miner: `${address}/rig`,
          network: 'main',
          threadId: i,
        }),
      ),
    );
    const workIds = answers.map((a) => extractTag(a.raw, 'WORKID'));
    expect(workIds.filter((id) => id !== '')).toHaveLength(50);
    expect(new Set(workIds).size).toBe(50);
    expect(new Set(answers.map((a) => extractTag(a.raw, 'MINERGUID'))).size).toBe(1);

    const [[counts]] = await db.query<mysql.RowDataPacket[]>(
      `SELECT (SELECT COUNT(*) FROM miner WHERE address = ?) AS miners,
              (SELECT COUNT(*) FROM worker k JOIN miner m ON m.id = k.miner_id WHERE m.address = ?) AS workers,
              (SELECT COUNT(*) FROM work w JOIN miner m ON m.id = w.miner_id WHERE m.address = ?) AS works`,
      [address, address, address],
    );
    expect(counts).toEqual({ miners: 1, workers: 1, works: 50 });
  });
});
