import { randomUUID } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { SolutionCleanupService } from '../../src/modules/solution/solution-cleanup.service';
import { adminDb, RunningApp, startRole } from '../support/harness';

const DAY = 86_400_000;

describe('scheduled cleanup', () => {
  let backend: RunningApp;
  let db: mysql.Connection;

  beforeAll(async () => {
    backend = await startRole('backend', {
      CLEANUP_BATCH_SIZE: '7',
      WORK_RETENTION_DAYS: '7',
      REJECTED_RETENTION_DAYS: '7',
      SOLUTION_RETENTION_DAYS: '30',
      REJECTED_SOLUTION_STRING_HOURS: '24',
    });
    db = await adminDb();
  });
  afterAll(async () => {
    await backend.close();
    await db.end();
  });

  it('prunes old work, old rejected solutions and settled old solutions in bounded batches, keeping the rest', async () => {
    const now = Date.now();
    const old = new Date(now - 8 * DAY);
    const ancient = new Date(now - 31 * DAY);
    const fresh = new Date(now - DAY / 2);
    const hash = () => randomUUID().replace(/-/g, '').padEnd(64, '0');
    const workRow = (at: Date) => [
      randomUUID(),
      'main',
      1,
      1,
      0,
      'f'.repeat(64),
      null,
      null,
      null,
      at,
    ];
    await db.query(
      'INSERT INTO work (id, network, miner_id, worker_id, thread_id, hash_target, ip, os, agent, created_at) VALUES ?',
      [[...Array.from({ length: 20 }, () => workRow(old)), workRow(fresh)]],
    );
    const rejected = (at: Date) => [
      randomUUID(),
      'main',
      null,
      null,
      null,
      'above_target',
      null,
      null,
      'sol',
      at,
    ];
    await db.query(
      'INSERT INTO rejected_solution (message_id, network, work_id, miner_id, worker_id, reason, detail, bible_hash, solution_string, inserted_at) VALUES ?',
      [
        [
          ...Array.from({ length: 15 }, () => rejected(old)),
          rejected(new Date(now - 2 * DAY)),
          rejected(fresh),
        ],
      ],
    );
    const [block] = await db.query<mysql.ResultSetHeader>(
      `INSERT INTO block (network, height, hash, chain_time, subsidy, recipient, is_pool_block, status)
       VALUES ('main', 1, ?, NOW(3), 1, 'B', 1, 'shared')`,
      [hash()],
    );
    const [pending] = await db.query<mysql.ResultSetHeader>(
      `INSERT INTO block (network, height, hash, chain_time, subsidy, recipient, is_pool_block, status)
       VALUES ('main', 2, ?, NOW(3), 1, 'B', 1, 'pending')`,
      [hash()],
    );
    const solution = (blockId: number | null, at: Date) => [
      randomUUID(),
      'main',
      randomUUID(),
      1,
      1,
      hash(),
      1,
      hash(),
      'f'.repeat(64),
      1000000,
      0,
      blockId,
      at,
      at,
    ];
    await db.query(
      `INSERT INTO solution (message_id, network, work_id, miner_id, worker_id, block_hash, prev_height, bible_hash,
         hash_target, share_weight, hashes_per_second, block_id, received_at, inserted_at) VALUES ?`,
      [
        [
          ...Array.from({ length: 10 }, () => solution(block.insertId, ancient)),
          solution(pending.insertId, ancient), // round not settled: kept
          solution(null, ancient), // not yet in a round: kept
          solution(block.insertId, fresh),
        ],
      ],
    );

    // Workers: idle ones (no accepted share in WORKER_IDLE_DAYS, 7) go; productive and new ones stay.
    const [miner] = await db.query<mysql.ResultSetHeader>(
      `INSERT INTO miner (guid, network, address) VALUES (?, 'main', ?)`,
      [randomUUID(), `cleanup-${randomUUID()}`],
    );
    const worker = (name: string, createdAt: Date, lastAccepted: Date | null) => [
      miner.insertId,
      name,
      createdAt,
      lastAccepted,
    ];
    await db.query(
      'INSERT INTO worker (miner_id, name, created_at, last_accepted_solution_at) VALUES ?',
      [
        [
          worker('never', old, null),
          worker('long-ago', ancient, old),
          worker('productive', ancient, fresh),
          worker('new', fresh, null),
        ],
      ],
    );
    await db.query(
      `INSERT INTO source_suspension (source, suspended_until, suspended_reason) VALUES (?, ?, 'x'), (?, ?, 'x')`,
      ['192.0.2.201', new Date(now - DAY), '192.0.2.202', new Date(now + DAY)],
    );

    const result = await backend.app.get(SolutionCleanupService).run(new Date(now));
    expect(result).toEqual({
      work: 20,
      solutions: 10,
      rejected: 15,
      solutionStrings: 1,
      workers: 2,
      sourceSuspensions: 1,
    });
    const [workers] = await db.query<mysql.RowDataPacket[]>(
      'SELECT name FROM worker WHERE miner_id = ? ORDER BY name',
      [miner.insertId],
    );
    expect(workers.map((r) => String(r.name))).toEqual(['new', 'productive']);
    const [suspensions] = await db.query<mysql.RowDataPacket[]>(
      `SELECT source FROM source_suspension WHERE source LIKE '192.0.2.20_'`,
    );
    expect(suspensions.map((r) => String(r.source))).toEqual(['192.0.2.202']);
    // The run's database is shared: a suspension left in force would refuse another file's client.
    await db.query(`DELETE FROM source_suspension WHERE source LIKE '192.0.2.20_'`);

    const [[left]] = await db.query<mysql.RowDataPacket[]>(
      `SELECT (SELECT COUNT(*) FROM solution WHERE block_id IN (?, ?) OR (block_id IS NULL AND inserted_at = ?)) s,
              (SELECT COUNT(*) FROM rejected_solution WHERE solution_string = 'sol') kept_strings,
              (SELECT COUNT(*) FROM rejected_solution WHERE reason = 'above_target' AND solution_string IS NULL
                 AND inserted_at < ?) forgotten`,
      [block.insertId, pending.insertId, ancient, new Date(now - DAY)],
    );
    expect(left).toMatchObject({ s: 3, kept_strings: 1, forgotten: 1 });
  });
});
