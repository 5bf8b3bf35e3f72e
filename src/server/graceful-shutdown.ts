import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';

/** Something that stops taking work and finishes what it holds (the backend's queue consumer). */
export interface Drainable {
  drain(): Promise<void>;
}

interface Log {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Stops a role in the order that loses nothing:
 * 1. HTTP first: Fastify stops accepting connections, answers requests that still arrive on open
 *    keep-alive connections with 503 + `Connection: close`, and waits for the requests in flight —
 *    a solution being published still gets its broker confirm and its `ok`.
 * 2. The solution queue server (backend) drains: no more messages, running batches commit and ack.
 *    Explicitly here: Nest closes microservices only after the module destroy and shutdown hooks,
 *    when the database pool is already gone.
 * 3. Then Nest's hooks (`app.close()`): the publisher's channel closes, then the broker connection,
 *    then (shutdown hooks) the database pool.
 * Nest's own `enableShutdownHooks()` would run step 2 before step 1, closing the publisher under
 * requests that are still waiting for their confirms.
 */
export async function drainAndClose(
  app: NestFastifyApplication,
  consumer?: Drainable,
): Promise<void> {
  const server: Server = app.getHttpServer();
  // server.close() reaps only the connections idle at that instant; a keep-alive connection whose
  // request finishes later would stay open until its keep-alive timeout (65 s) and hold close().
  const reaper = setInterval(() => server.closeIdleConnections?.(), 100);
  try {
    await app.getHttpAdapter().getInstance().close();
  } finally {
    clearInterval(reaper);
  }
  await consumer?.drain();
  await app.close();
}

/**
 * SIGTERM/SIGINT: drain and close, then exit 0; past `timeoutMs` exit 1 anyway (what is left
 * unacked goes back to the queue, what is unanswered the wallet retries). A second signal while
 * draining exits at once.
 */
export function exitGracefullyOnSignals(
  app: NestFastifyApplication,
  timeoutMs: number,
  logger: Log,
  beforeClose: () => void = () => undefined,
  consumer?: Drainable,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`${signal} again while shutting down: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal}: finishing in-flight work, then exiting (at most ${timeoutMs} ms)`);
    setTimeout(() => {
      logger.error(`shutdown took longer than SHUTDOWN_TIMEOUT_MS=${timeoutMs}; exiting anyway`);
      process.exit(1);
    }, timeoutMs);
    beforeClose();
    drainAndClose(app, consumer).then(
      () => {
        logger.log('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.stack : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
