import { SetupConfig } from '../../config/setup-config';
import { connectToAnyNode } from '../broker-connect';
import { BROKER_PERMISSIONS, declareSolutionTopology } from '../broker-topology';
import { BrokerAdmin } from './broker-admin';

type Log = (line: string) => void;

/**
 * Idempotent: the vhost, the two broker users with their permissions, then the queue topology,
 * declared as the backend user (the frontend user may not declare anything).
 */
export async function provisionBroker(
  config: SetupConfig,
  admin: BrokerAdmin,
  log: Log,
): Promise<void> {
  await admin.ensureVhost(config.vhost);
  await admin.ensureUser(config.frontendBroker.user, config.frontendBroker.password);
  await admin.ensureUser(config.backendBroker.user, config.backendBroker.password);
  await admin.setPermissions(config.vhost, config.frontendBroker.user, BROKER_PERMISSIONS.frontend);
  await admin.setPermissions(config.vhost, config.backendBroker.user, BROKER_PERMISSIONS.backend);
  log(
    `broker vhost ${config.vhost}, users ${config.frontendBroker.user} (publish only) and ${config.backendBroker.user} ready`,
  );

  const link = config.backendBrokerLink;
  const connection = await connectToAnyNode(link);
  try {
    const channel = await connection.createChannel();
    // A refused declare closes the channel; the rejected promise below carries the reason.
    channel.on('error', () => undefined);
    await declareSolutionTopology(channel, config.solutionQueue).catch((error: Error) => {
      throw /PRECONDITION_FAILED/.test(error.message)
        ? new Error(
            `the solution queues exist with another type or arguments than SOLUTION_QUEUE_TYPE=${config.solutionQueue.type}, SOLUTION_QUEUE_MAX_BYTES=${config.solutionQueue.maxBytes} (${error.message}); a queue cannot change its arguments in place: see docs/RUNBOOK.md, "Switching the solution queue type"`,
          )
        : error;
    });
    await channel.close();
    log(`${config.solutionQueue.type} solution queue, dead-letter queue and bindings declared`);
  } finally {
    await connection.close();
  }
}

export async function dropBroker(config: SetupConfig, admin: BrokerAdmin): Promise<void> {
  await admin.deleteVhost(config.vhost);
  await admin.deleteUser(config.frontendBroker.user);
  await admin.deleteUser(config.backendBroker.user);
}
