// `npm run bench:shareout`: one pool block whose round holds 100,000 shares from 1,000 miners;
// times the shareout (split + ledger credits + balance refresh) and checks the parts add up.
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import mysql from 'mysql2/promise';
import { randomAddress } from '../src/biblepay/address';
import { baseToCoins } from '../src/biblepay/amount';
import { AppConfig } from '../src/config/app-config';
import { ConfigModule } from '../src/config/config.module';
import { DatabaseModule } from '../src/database/database.module';
import { BlockModule } from '../src/modules/block/block.module';
import { ShareoutService } from '../src/modules/block/shareout.service';
import { createBenchEnv, report } from './support/bench-env';

const SHARES = Number(process.env.BENCH_SHARES ?? 100_000);
const MINERS = Number(process.env.BENCH_MINERS ?? 1_000);
const SUBSIDY = 5003n * 100_000_000n;

async function main(): Promise<void> {
  const env = await createBenchEnv('shareout');
  const db = await mysql.createConnection({ uri: env.urls.adminDb });
  try {
    const miners = Array.from({ length: MINERS }, () => [
      randomUUID(),
      'main',
      randomAddress('main'),
    ]);
    await db.query('INSERT INTO miner (guid, network, address) VALUES ?', [miners]);
    const [ids] = await db.query<mysql.RowDataPacket[]>('SELECT id FROM miner ORDER BY id');
    const [block] = await db.query<mysql.ResultSetHeader>(
      `INSERT INTO block (network, height, hash, chain_time, subsidy, recipient, is_pool_block, status, round_assigned)
       VALUES ('main', 1000, ?, NOW(3), ?, ?, 1, 'mature', 1)`,
      [randomBytes(32).toString('hex'), SUBSIDY.toString(), env.poolAddress.main],
    );
    for (let i = 0; i < SHARES; i += 10_000) {
      const rows = Array.from({ length: Math.min(10_000, SHARES - i) }, (_, k) => {
        const minerId = ids[(i + k) % ids.length].id as number;
        // a spread of difficulties: weights 0.25 .. 4 base shares
        const weight = 250_000 * 2 ** ((i + k) % 5);
        return [
          randomUUID(),
          'main',
          randomUUID(),
          minerId,
          1,
          randomBytes(32).toString('hex'),
          999,
          randomBytes(32).toString('hex'),
          'f'.repeat(64),
          weight,
          1000,
          block.insertId,
          new Date(),
          new Date(),
        ];
      });
      await db.query(
        `INSERT INTO solution (message_id, network, work_id, miner_id, worker_id, block_hash, prev_height, bible_hash,
           hash_target, share_weight, hashes_per_second, block_id, received_at, inserted_at) VALUES ?`,
        [rows],
      );
    }
    const config = new AppConfig({
      ROLE: 'backend',
      DATABASE_URL: env.urls.backendDb,
      AMQP_URL: env.urls.backendMq,
      POOL_ADDRESS_MAIN: env.poolAddress.main,
      NODE_RPC_URL_MAIN: 'http://u:p@127.0.0.1:1',
      POOL_FEE_PERCENT: '1',
      RUN_BACKGROUND_WORK: 'false',
      LOG_LEVEL: 'warn',
    });
    const app = await NestFactory.createApplicationContext(
      {
        module: class BenchModule {},
        imports: [ConfigModule.forRoot(config), DatabaseModule, BlockModule],
      },
      { logger: ['error'] },
    );
    const shareout = app.get(ShareoutService);
    const started = process.hrtime.bigint();
    const [result] = await shareout.run('main');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await app.close();

    const [[sums]] = await db.query<mysql.RowDataPacket[]>(
      `SELECT SUM(amount) credited, COUNT(*) entries, (SELECT pool_fee FROM block WHERE id = ?) fee
         FROM ledger_entry WHERE block_id = ?`,
      [block.insertId, block.insertId],
    );
    const lost = SUBSIDY - BigInt(sums.credited) - BigInt(sums.fee);
    report('shareout', {
      shares: SHARES,
      miners: MINERS,
      written: result?.written ?? false,
      seconds: Math.round(seconds * 1000) / 1000,
      subsidy_bbp: baseToCoins(SUBSIDY),
      credited_bbp: baseToCoins(BigInt(sums.credited)),
      fee_bbp: baseToCoins(BigInt(sums.fee)),
      ledger_entries: Number(sums.entries),
      lost_to_rounding_bbp: baseToCoins(lost),
    });
  } finally {
    await db.end();
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
