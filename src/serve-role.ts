import { INestApplication, Logger } from '@nestjs/common';
import { Server as TlsServer } from 'node:tls';
import { createApp } from './bootstrap';
import { AppConfig } from './config/app-config';
import { assertSchemaCurrent, waitForDatabase } from './database/database-readiness';
import type { SolutionQueueServer } from './messaging/solution-queue.server';
import { exitGracefullyOnSignals } from './server/graceful-shutdown';
import { readTlsMaterial, TlsCertificateReloader } from './server/tls-certificate';

/** The queue consumer, required only by a role that consumes: a frontend never loads its transport. */
function queueConsumerOf(app: INestApplication): SolutionQueueServer {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const queue =
    require('./messaging/solution-queue.server') as typeof import('./messaging/solution-queue.server');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return app.get(queue.SolutionQueueServer);
}

/**
 * One serving process of a role (main.ts, after the configuration is read): waits for the database,
 * builds the application, listens, reloads TLS on SIGHUP and drains on SIGTERM.
 */
export async function serveRole(config: AppConfig, logger: Logger): Promise<void> {
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
