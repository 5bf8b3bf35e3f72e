import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { rootModuleFor } from './app.module';
import { randomUUID } from 'node:crypto';
import { AppConfig } from './config/app-config';
import { createPino, JsonLogger } from './logging/json-logger';
import { NEST_LOG_LEVELS } from './logging/nest-log-levels';
import { installForwardedFor, TrustedProxies } from './server/client-address';
import {
  capConnectionsPerSource,
  limitActionBody,
  slowRequestOptions,
} from './server/connection-limits';
import { installRateLimit } from './server/rate-limit.hook';
import { refuseWhileClosing } from './server/refuse-while-closing';
import { readTlsMaterial } from './server/tls-certificate';

/** Block hex travels in a header and can be tens of kilobytes (docs/PROTOCOL.md §1). */
export const MAX_HEADER_BYTES = 128 * 1024;

/**
 * Builds the role's application (not yet listening): used by main.ts and by the tests. What only
 * one role uses (the queue consumer, the console, the public API's OpenAPI document) is required
 * in the branch that uses it, so the other role never loads it (app.module.ts).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const pino = config.logFormat === 'json' ? createPino(config) : undefined;
  const proxies = new TrustedProxies(config.trustProxy);
  const adapter = new FastifyAdapter({
    trustProxy: proxies.fastifyOption(),
    // Every request gets an id (the caller's X-Request-Id when sent), on its log lines and answer.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    ...(pino ? { loggerInstance: pino, disableRequestLogging: !config.logRequests } : {}),
    // TLS_CERT_FILE/TLS_KEY_FILE: HTTPS served here (main.ts reloads it on SIGHUP or renewal).
    ...(config.tls
      ? {
          https: {
            ...readTlsMaterial(config.tls),
            maxHeaderSize: MAX_HEADER_BYTES,
            ...slowRequestOptions(config.connections),
          },
        }
      : { http: { maxHeaderSize: MAX_HEADER_BYTES, ...slowRequestOptions(config.connections) } }),
    bodyLimit: 1024 * 1024,
    keepAliveTimeout: 65_000,
    // HTTP_REQUEST_TIMEOUT_MS: a request still incomplete then is answered 408 and its socket cut.
    requestTimeout: config.connections.requestTimeoutMs,
    // Draining refuses with answers of our own (server/refuse-while-closing.ts).
    return503OnClosing: false,
    // The original pool's page URLs end in a slash (`/main/`); Nest registers them without.
    routerOptions: { ignoreTrailingSlash: true },
  });
  // The wallet posts its action name as a body with no Content-Type; accept any body as text.
  adapter
    .getInstance()
    .addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  adapter.getInstance().addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  capConnectionsPerSource(adapter.getInstance().server, config.connections.maxPerSource, proxies);
  limitActionBody(adapter.getInstance());
  // Before any hook that reads request.ip (rate limits, the console's allow-list).
  installForwardedFor(adapter.getInstance(), proxies);
  refuseWhileClosing(adapter.getInstance());
  if (config.runsFrontend) {
    installRateLimit(adapter.getInstance(), config.rateLimit, config.actionKeepAlive);
  }
  // The console (`/admin`) lives on the backend only; its gate runs before any of its routes.
  const consoleOn = config.runsBackend && config.admin !== null;
  if (consoleOn && config.admin) {
    const { installAdminGate } =
      require('./modules/admin/auth/admin-gate') as typeof import('./modules/admin/auth/admin-gate');
    installAdminGate(adapter.getInstance(), config.admin);
  }
  const app = await NestFactory.create<NestFastifyApplication>(rootModuleFor(config), adapter, {
    logger: pino ? new JsonLogger(pino) : NEST_LOG_LEVELS[config.logLevel],
    abortOnError: false,
  });
  // No enableShutdownHooks(): main.ts handles SIGTERM/SIGINT itself, draining HTTP before the
  // hooks run (server/graceful-shutdown.ts); tests close their apps explicitly.
  if (config.runsFrontend) {
    const { setupApiDocs } =
      require('./modules/web/api/api-docs') as typeof import('./modules/web/api/api-docs');
    setupApiDocs(app);
  }
  if (consoleOn) {
    const { setupAdminApiDocs } =
      require('./modules/admin/api/admin-api-docs') as typeof import('./modules/admin/api/admin-api-docs');
    setupAdminApiDocs(app);
  }
  // The backend consumes the solution queue as a Nest microservice (a custom transport), started
  // once every module is initialized; main.ts and the tests then only listen on HTTP.
  if (config.runsBackend && config.runBackgroundWork) {
    const { SolutionQueueServer } =
      require('./messaging/solution-queue.server') as typeof import('./messaging/solution-queue.server');
    app.connectMicroservice({ strategy: app.get(SolutionQueueServer) });
    await app.init();
    await app.startAllMicroservices();
  }
  return app;
}
/* eslint-enable @typescript-eslint/no-require-imports */
