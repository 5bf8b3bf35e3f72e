import 'reflect-metadata';
import { INestApplication, Logger } from '@nestjs/common';
import { Server as TlsServer } from 'node:tls';
import { createApp, NEST_LOG_LEVELS } from './bootstrap';
import { AppConfig, ConfigError } from './config/app-config';
import {
  assertSchemaCurrent,
  SchemaBehindError,
  waitForDatabase,
} from './database/database-readiness';
import type { SolutionQueueServer } from './messaging/solution-queue.server';
import { isClusterPrimary, runFrontendWorkers } from './server/frontend-workers';
import { exitGracefullyOnSignals } from './server/graceful-shutdown';
import { readTlsMaterial, TlsCertificateReloader } from './server/tls-certificate';

/** Exit codes an operator (or systemd's RestartPreventExitStatus) can tell apart. */
export const EXIT_CONFIG = 2;
export const EXIT_SCHEMA_BEHIND = 3;

/** The queue consumer, required only by a role that consumes: a frontend never loads its transport. */
function queueConsumerOf(app: INestApplication): SolutionQueueServer {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const queue =
    require('./messaging/solution-queue.server') as typeof import('./messaging/solution-queue.server');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return app.get(queue.SolutionQueueServer);
}

async function main(): Promise<void> {
  const config = new AppConfig(process.env);
  Logger.overrideLogger(NEST_LOG_LEVELS[config.logLevel]);
  const logger = new Logger('Purepool');
  if (config.frontendProcesses > 1 && isClusterPrimary()) {
    return runFrontendWorkers(config.frontendProcesses, logger);
  }
  // A certificate that cannot be read or does not fit its key stops the boot now, not after the wait.
  if (config.tls) readTlsMaterial(config.tls);

  const connection = await waitForDatabase(config.database, logger);
  try {
    if (config.runsBackend) await assertSchemaCurrent(connection, logger);
  } finally {
    await connection.end();
  }

  const app = await createApp(config);
  await app.listen(config.httpPort, config.httpHost);

  let reloader: TlsCertificateReloader | undefined;
  if (config.tls) {
    const server: unknown = app.getHttpServer();
    if (!(server instanceof TlsServer))
      throw new Error('TLS is configured but the server is not HTTPS');
    reloader = new TlsCertificateReloader(server, config.tls, logger, readTlsMaterial(config.tls));
    reloader.watch();
  }
  // SIGHUP would otherwise end the process (Node's default); here it means "reload".
  process.on('SIGHUP', () => {
    if (!reloader) return logger.log('SIGHUP: nothing to reload (no TLS_CERT_FILE)');
    if (!reloader.reload('SIGHUP')) logger.log('SIGHUP: certificate unchanged');
  });
  const consumer =
    config.runsBackend && config.runBackgroundWork ? queueConsumerOf(app) : undefined;
  exitGracefullyOnSignals(app, config.shutdownTimeoutMs, logger, () => reloader?.close(), consumer);

  const scheme = config.tls ? 'https' : 'http';
  logger.log(
    `${config.role} listening on ${scheme}://${config.httpHost}:${config.httpPort} (networks: ${config.networks.join(', ')})`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(EXIT_CONFIG);
  }
  if (error instanceof SchemaBehindError) {
    console.error(error.message);
    process.exit(EXIT_SCHEMA_BEHIND);
  }
  console.error(
    `purepool failed to start: ${error instanceof Error ? error.stack : String(error)}`,
  );
  process.exit(1);
});
