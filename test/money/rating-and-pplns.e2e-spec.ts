import { randomBytes, randomUUID } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { bigIntToHash, hashToBigInt } from '../../src/biblepay/hash-target';
import { RatingService } from '../../src/modules/block/rating.service';
import { RoundRepository } from '../../src/modules/solution/round.repository';
import { adminDb, RunningApp, startRole } from '../support/harness';
import { TEST_HASH_TARGET } from '../support/pool-fixture';

describe('rating and PPLNS windows', () => {
  let backend: RunningApp;
  let db: mysql.Connection;

  beforeAll(async () => {
    backend = await startRole('backend', {
      POOL_HASH_TARGET: TEST_HASH_TARGET,
      RUN_BACKGROUND_WORK: 'false',
      RATING_SHARES_PER_MINUTE: '4',
      NETWORKS: 'test',
    });
    db = await adminDb();
  });
  afterAll(async () => {
    await backend.close();
    await db.end();
  });

  const newMiner = async (): Promise<number> => {
    const [r] = await db.query<mysql.ResultSetHeader>(
      "INSERT INTO miner (guid, network, address) VALUES (?, 'test', ?)",
      [randomUUID(), randomAddress('test')],
    );
    return r.insertId;
  };
  const addShares = async (
    minerId: number,
    weights: number[],
    at: (i: number) => Date,
  ): Promise<void> => {
    await db.query(
      `INSERT INTO solution (message_id, network, work_id, miner_id, worker_id, block_hash, prev_height, bible_hash,
         hash_target, share_weight, hashes_per_second, received_at, inserted_at) VALUES ?`,
      [
        weights.map((w, i) => [
          randomUUID(),
          'test',
          randomUUID(),
          minerId,
          1,
          randomBytes(32).toString('hex'),
          1,
          randomBytes(32).toString('hex'),
          'f'.repeat(64),
          w,
          100,
          at(i),
          at(i),
        ]),
      ],
    );
  };

  it('rates share efficiency and gives a miner far above the aimed share rate a harder target', async () => {
    const busy = await newMiner();
    const calm = await newMiner();
    const now = Date.now();
    await addShares(busy, Array(1200).fill(1_000_000), (i) => new Date(now - 1000 - i * 1000)); // 20/min
    await addShares(calm, Array(60).fill(1_000_000), (i) => new Date(now - 1000 - i * 30_000)); // 2/min
    await db.query(
      `INSERT INTO rejected_solution (message_id, network, miner_id, reason, inserted_at) VALUES ?`,
      [
        Array.from({ length: 20 }, () => [
          randomUUID(),
          'test',
          calm,
          'above_target',
          new Date(now - 5000),
        ]),
      ],
    );
    const rated = await backend.app.get(RatingService).run('test', new Date(now));
    expect(rated).toBeGreaterThanOrEqual(2);
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      'SELECT id, rating, hash_target FROM miner WHERE id IN (?, ?)',
      [busy, calm],
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    // 20 base shares a minute against an aim of 4: the target halves twice (weights keep it fair)
    expect(byId.get(busy)!.hash_target).toBe(bigIntToHash(hashToBigInt(TEST_HASH_TARGET) / 4n));
    expect(Number(byId.get(busy)!.rating)).toBe(1);
    expect(byId.get(calm)!.hash_target).toBeNull();
    expect(Number(byId.get(calm)!.rating)).toBeCloseTo(60 / 80, 6);
  });

  it('PPLNS takes exactly the last N shares of weight before the block, the oldest one in part', async () => {
    const a = await newMiner();
    const b = await newMiner();
    const t0 = Date.now() - 3_600_000;
    // newest first from the block's view: b 2.0, a 1.0, b 1.0, a 4.0 (oldest), then one after the block
    await addShares(a, [4_000_000], () => new Date(t0));
    await addShares(b, [1_000_000], () => new Date(t0 + 1000));
    await addShares(a, [1_000_000], () => new Date(t0 + 2000));
    await addShares(b, [2_000_000], () => new Date(t0 + 3000));
    await addShares(a, [9_000_000], () => new Date(t0 + 10_000)); // after the block: not counted
    const repo = backend.app.get(RoundRepository);
    const weights = await repo.lastNWeights('test', new Date(t0 + 5000), 5_500_000n);
    // window 5.5: b 2.0 + a 1.0 + b 1.0 = 4.0, then 1.5 of a's 4.0
    expect(weights.get(b)).toBe(3_000_000n);
    expect(weights.get(a)).toBe(2_500_000n);
    expect([...weights.values()].reduce((x, y) => x + y, 0n)).toBe(5_500_000n);
  });
});
