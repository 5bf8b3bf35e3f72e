// Container health probe: GET /health of the role running in this container (port, TLS and
// listen address from the same environment the role reads); exit 0 when it answers 200.
// The runtime image has no curl; this runs as `node dist/scripts/healthcheck.js`.
import http from 'node:http';
import https from 'node:https';
import { AppConfig } from '../src/config/app-config';

function main(): void {
  const config = new AppConfig(process.env);
  const host = ['0.0.0.0', '::', ''].includes(config.httpHost) ? '127.0.0.1' : config.httpHost;
  const client = config.tls ? https : http;
  const request = client.get(
    {
      host,
      port: config.httpPort,
      path: '/health',
      timeout: 4000,
      // The certificate names the public host, not 127.0.0.1; this probe only needs an answer.
      rejectUnauthorized: false,
    },
    (response) => {
      response.resume();
      process.exit(response.statusCode === 200 ? 0 : 1);
    },
  );
  request.on('timeout', () => request.destroy(new Error('timed out')));
  request.on('error', (error) => {
    console.error(`health check failed: ${error.message}`);
    process.exit(1);
  });
}

try {
  main();
} catch (error) {
  console.error(`health check failed: ${(error as Error).message}`);
  process.exit(1);
}
