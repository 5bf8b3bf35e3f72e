import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { provisionDatabase } from '../../src/database/setup/database-provisioner';
import { brokerAdminFor } from '../../src/messaging/setup/broker-admin';
import { provisionBroker } from '../../src/messaging/setup/broker-provisioner';
import { adminDb, backendBroker, queueDepth } from '../support/harness';
import { testSetupConfig } from '../support/test-env';
import { SOLUTION_EXCHANGE, SOLUTION_ROUTING_KEY } from '../../src/messaging/broker-topology';

describe('db:setup', () => {
  it('is idempotent: a second run changes nothing stored and loses no queued message', async () => {
    const db: mysql.Connection = await adminDb();
    const broker = await backendBroker();
    try {
      const address = randomAddress('main');
      await db.query(
        "INSERT INTO miner (guid, network, address, created_at) VALUES (UUID(), 'main', ?, NOW(3))",
        [address],
      );
      const depth = await queueDepth(broker.channel);
      broker.channel.publish(SOLUTION_EXCHANGE, SOLUTION_ROUTING_KEY, Buffer.from('{}'), {
        persistent: true,
      });
      await new Promise((r) => setTimeout(r, 100));

      const lines: string[] = [];
      const config = testSetupConfig();
      await provisionDatabase(config, (l) => lines.push(l));
      await provisionBroker(config, brokerAdminFor(process.env.RABBITMQ_MANAGEMENT_URL), (l) =>
        lines.push(l),
      );

      expect(lines).toContain('schema up to date');
      const [rows] = await db.query<mysql.RowDataPacket[]>(
        'SELECT id FROM miner WHERE address = ?',
        [address],
      );
      expect(rows).toHaveLength(1);
      expect(await queueDepth(broker.channel)).toBe(depth + 1);
      await broker.channel.purgeQueue('purepool.solutions');
    } finally {
      await db.end();
      await broker.connection.close();
    }
  });
});
