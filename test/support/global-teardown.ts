import 'reflect-metadata';
import { dropDatabase } from '../../src/database/setup/database-provisioner';
import { brokerAdminFor } from '../../src/messaging/setup/broker-admin';
import { dropBroker } from '../../src/messaging/setup/broker-provisioner';
import { RUN_ID_VARIABLE, testSetupConfig } from './test-env';

/** Drops this run's database, users, vhost and broker users (set KEEP_TEST_DATA=1 to inspect). */
export default async function globalTeardown(): Promise<void> {
  const id = process.env[RUN_ID_VARIABLE];
  if (!id || process.env.KEEP_TEST_DATA === '1') return;
  const config = testSetupConfig(id);
  await dropDatabase(config);
  await dropBroker(config, brokerAdminFor(process.env.RABBITMQ_MANAGEMENT_URL));
}
