import amqplib from 'amqplib';
import mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { SOLUTION_QUEUE } from '../../src/messaging/broker-topology';
import { extractTag, walletRequest } from '../../sim/miner/wallet-http-client';
import { adminDb, RunningApp, startRole } from '../support/harness';
import { roleUrls } from '../support/test-env';

const TABLES = [
  'miner',
  'worker',
  'work',
  'solution',
  'rejected_solution',
  'block',
  'ledger_entry',
  'payment',
  'payment_error',
  'miner_balance',
];

describe('each role runs as its own DB and broker user', () => {
  let frontendDb: mysql.Connection;

  beforeAll(async () => {
    frontendDb = await mysql.createConnection({ uri: roleUrls().frontendDatabaseUrl });
  });
  afterAll(async () => {
    await frontendDb.end();
  });

  it('a frontend started with the frontend DB user serves getwork', async () => {
    const frontend: RunningApp = await startRole('frontend');
    try {
      const res = await walletRequest({
        pool: frontend.url,
        action: 'readytomine2',
        miner: randomAddress('main'),
        network: 'main',
      });
      expect(extractTag(res.raw, 'WORKID')).not.toBe('');
    } finally {
      await frontend.close();
    }
  });

  it('the frontend DB user reads the tables its pages and getwork read', async () => {
    for (const table of TABLES.filter((t) => t !== 'miner_balance')) {
      await expect(frontendDb.query(`SELECT COUNT(*) FROM \`${table}\``)).resolves.toBeDefined();
    }
    for (const table of ['payout_set_aside', 'credit_reversal']) {
      await expect(frontendDb.query(`SELECT COUNT(*) FROM \`${table}\``)).resolves.toBeDefined();
    }
    await expect(
      frontendDb.query(
        'SELECT id, guid, network, address, disabled, suspended_until, rating, hash_target FROM miner',
      ),
    ).resolves.toBeDefined();
  });

  it.each(['admin_action', 'job_lease', 'unclaimed_send', 'migrations', 'miner_balance'])(
    'the frontend DB user cannot read %s (nothing its pages or getwork show)',
    async (table) => {
      await expect(frontendDb.query(`SELECT * FROM \`${table}\``)).rejects.toMatchObject({
        code: 'ER_TABLEACCESS_DENIED_ERROR',
      });
    },
  );

  it("the frontend DB user cannot read miners' e-mail addresses", async () => {
    await expect(frontendDb.query('SELECT email FROM miner')).rejects.toMatchObject({
      code: 'ER_COLUMNACCESS_DENIED_ERROR',
    });
    // (MariaDB words `SELECT *` over a column grant as a table refusal.)
    await expect(frontendDb.query('SELECT * FROM miner')).rejects.toMatchObject({
      code: expect.stringMatching(/^ER_(TABLE|COLUMN)ACCESS_DENIED_ERROR$/),
    });
    await expect(
      frontendDb.query("SELECT id FROM miner WHERE email LIKE '%@%'"),
    ).rejects.toMatchObject({ code: 'ER_COLUMNACCESS_DENIED_ERROR' });
  });

  it.each(TABLES)('the frontend DB user may not UPDATE or DELETE %s', async (table) => {
    await expect(
      frontendDb.query(
        table === 'worker'
          ? 'UPDATE `worker` SET miner_id = miner_id'
          : `UPDATE \`${table}\` SET network = network`,
      ),
    ).rejects.toMatchObject({
      code: table === 'worker' ? 'ER_COLUMNACCESS_DENIED_ERROR' : 'ER_TABLEACCESS_DENIED_ERROR',
    });
    await expect(frontendDb.query(`DELETE FROM \`${table}\``)).rejects.toMatchObject({
      code: 'ER_TABLEACCESS_DENIED_ERROR',
    });
  });

  it('the frontend DB user may change no row of any table of the schema (newer tables included)', async () => {
    // Listed as admin: information_schema shows a user only what it may read.
    const admin = await adminDb();
    const [tables] = await admin
      .query<mysql.RowDataPacket[]>(
        `SELECT table_name AS t, MIN(column_name) AS c FROM information_schema.columns
          WHERE table_schema = DATABASE() GROUP BY table_name`,
      )
      .finally(() => admin.end());
    expect(tables.map((r) => String(r.t))).toEqual(
      expect.arrayContaining([
        ...TABLES,
        'job_lease',
        'payout_set_aside',
        'admin_action',
        'source_suspension',
      ]),
    );
    for (const { t, c } of tables as { t: string; c: string }[]) {
      // The one exception: an idle worker's slot is given to a new name (its name and creation time).
      if (t === 'worker') {
        await expect(frontendDb.query('UPDATE `worker` SET `id` = `id`')).rejects.toMatchObject({
          code: 'ER_COLUMNACCESS_DENIED_ERROR',
        });
        await expect(
          frontendDb.query('UPDATE `worker` SET `name` = `name`, `created_at` = `created_at`'),
        ).resolves.toBeDefined();
        await expect(frontendDb.query(`DELETE FROM \`${t}\``)).rejects.toMatchObject({
          code: 'ER_TABLEACCESS_DENIED_ERROR',
        });
        continue;
      }
      await expect(
        frontendDb.query(`UPDATE \`${t}\` SET \`${c}\` = \`${c}\``),
      ).rejects.toMatchObject({ code: 'ER_TABLEACCESS_DENIED_ERROR' });
      await expect(frontendDb.query(`DELETE FROM \`${t}\``)).rejects.toMatchObject({
        code: 'ER_TABLEACCESS_DENIED_ERROR',
      });
      if (!['miner', 'worker', 'work'].includes(t)) {
        await expect(frontendDb.query(`INSERT INTO \`${t}\` () VALUES ()`)).rejects.toMatchObject({
          code: 'ER_TABLEACCESS_DENIED_ERROR',
        });
      }
    }
  });

  it.each([
    'solution',
    'rejected_solution',
    'block',
    'ledger_entry',
    'payment',
    'payment_error',
    'miner_balance',
  ])('the frontend DB user may not INSERT into %s', async (table) => {
    await expect(frontendDb.query(`INSERT INTO \`${table}\` () VALUES ()`)).rejects.toMatchObject({
      code: 'ER_TABLEACCESS_DENIED_ERROR',
    });
  });

  it('the frontend DB user may not change the schema', async () => {
    await expect(frontendDb.query('ALTER TABLE miner ADD COLUMN evil INT')).rejects.toMatchObject({
      code: 'ER_TABLEACCESS_DENIED_ERROR',
    });
    await expect(frontendDb.query('DROP TABLE work')).rejects.toMatchObject({
      code: 'ER_TABLEACCESS_DENIED_ERROR',
    });
  });

  it('the frontend broker user cannot consume from the solution queue', async () => {
    const connection = await amqplib.connect(roleUrls().frontendAmqpUrl);
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await expect(channel.consume(SOLUTION_QUEUE, () => undefined)).rejects.toThrow(
        /ACCESS_REFUSED/,
      );
    } finally {
      await connection.close().catch(() => undefined);
    }
  });

  it('the frontend broker user cannot declare or delete queues', async () => {
    const connection = await amqplib.connect(roleUrls().frontendAmqpUrl);
    try {
      const declare = await connection.createChannel();
      declare.on('error', () => undefined);
      await expect(declare.assertQueue('purepool.evil', { durable: true })).rejects.toThrow(
        /ACCESS_REFUSED/,
      );
      const remove = await connection.createChannel();
      remove.on('error', () => undefined);
      await expect(remove.deleteQueue(SOLUTION_QUEUE)).rejects.toThrow(/ACCESS_REFUSED/);
    } finally {
      await connection.close().catch(() => undefined);
    }
  });

  it('the backend broker user can consume from the solution queue', async () => {
    const connection = await amqplib.connect(roleUrls().backendAmqpUrl);
    try {
      const channel = await connection.createChannel();
      const { consumerTag } = await channel.consume(SOLUTION_QUEUE, () => undefined);
      await channel.cancel(consumerTag);
    } finally {
      await connection.close();
    }
  });
});
