import { execFileSync } from 'node:child_process';
import path from 'node:path';
import 'reflect-metadata';
import { provisionDatabase } from '../../src/database/setup/database-provisioner';
import { brokerAdminFor } from '../../src/messaging/setup/broker-admin';
import { provisionBroker } from '../../src/messaging/setup/broker-provisioner';
import { newRunId, RUN_ID_VARIABLE, testSetupConfig } from './test-env';

/** Starts MariaDB/RabbitMQ if needed and provisions this run's own database and vhost. */
export default async function globalSetup(): Promise<void> {
  execFileSync('bash', [path.join(__dirname, '../../scripts/ensure-services.sh')], {
    stdio: 'inherit',
  });
  const id = newRunId();
  process.env[RUN_ID_VARIABLE] = id;
  const config = testSetupConfig(id);
  const quiet = (): void => undefined;
  await provisionDatabase(config, quiet);
  await provisionBroker(config, brokerAdminFor(process.env.RABBITMQ_MANAGEMENT_URL), quiet);
  console.log(`\ntest run ${id}: database ${config.database}, vhost ${config.vhost}`);
}
