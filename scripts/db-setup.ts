// `npm run db:setup`: database, migrations, role users and grants; broker vhost, users, permissions
// and queues. Idempotent: run it on every deploy.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SetupConfig } from '../src/config/setup-config';
import { provisionDatabase } from '../src/database/setup/database-provisioner';
import { brokerAdminFor } from '../src/messaging/setup/broker-admin';
import { provisionBroker } from '../src/messaging/setup/broker-provisioner';

async function main(): Promise<void> {
  const config = new SetupConfig(process.env);
  const log = (line: string): void => console.log(`db:setup: ${line}`);
  const local = ['127.0.0.1', 'localhost'].includes(new URL(config.adminUrl).hostname);
  if (local && process.env.SKIP_ENSURE_SERVICES !== '1') {
    execFileSync('bash', [path.join(__dirname, 'ensure-services.sh')], { stdio: 'inherit' });
  }
  await provisionDatabase(config, log);
  await provisionBroker(config, brokerAdminFor(config.rabbitmqManagementUrl), log);
  log('done');
}

main().catch((error: unknown) => {
  console.error(`db:setup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
