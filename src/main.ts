import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig, ConfigError } from './config/app-config';
import { NEST_LOG_LEVELS } from './logging/nest-log-levels';
import { isClusterPrimary, runFrontendWorkers } from './server/frontend-workers';

/** Exit codes an operator (or systemd's RestartPreventExitStatus) can tell apart. */
export const EXIT_CONFIG = 2;
export const EXIT_SCHEMA_BEHIND = 3;

/* eslint-disable @typescript-eslint/no-require-imports */
async function main(): Promise<void> {
  const config = new AppConfig(process.env);
  Logger.overrideLogger(NEST_LOG_LEVELS[config.logLevel]);
  const logger = new Logger('Purepool');
  if (config.frontendProcesses > 1 && isClusterPrimary()) {
    return runFrontendWorkers(config.frontendProcesses, logger);
  }
  // The application is loaded by the serving processes only: the primary of FRONTEND_PROCESSES
  // workers only forks them, and stays ~55 MB smaller without it (docs/BENCHMARKS.md, issue 26).
  const { serveRole } = require('./serve-role') as typeof import('./serve-role');
  return serveRole(config, logger);
}

/** Thrown only once the serving code (and with it this error's module) is loaded. */
function isSchemaBehind(error: unknown): error is Error {
  const readiness =
    require('./database/database-readiness') as typeof import('./database/database-readiness');
  return error instanceof readiness.SchemaBehindError;
}
/* eslint-enable @typescript-eslint/no-require-imports */

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(EXIT_CONFIG);
  }
  if (isSchemaBehind(error)) {
    console.error(error.message);
    process.exit(EXIT_SCHEMA_BEHIND);
  }
  console.error(
    `purepool failed to start: ${error instanceof Error ? error.stack : String(error)}`,
  );
  process.exit(1);
});
