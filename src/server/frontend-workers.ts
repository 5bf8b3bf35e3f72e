import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';

/**
 * FRONTEND_PROCESSES=N: the primary only forks N frontend workers that share the HTTP port (Node's
 * cluster module hands connections round robin), so one machine's cores all serve wallets behind
 * one port. The frontend holds no state of its own, so a worker that dies is simply replaced;
 * SIGTERM/SIGINT go to every worker, which drain as a single process does, and the primary exits
 * with the last one.
 */
export function runFrontendWorkers(count: number, logger: Logger): void {
  let stopping = false;
  const fork = (): void => {
    cluster.fork();
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.warn(
      `frontend worker ${worker.process.pid} exited (${code ?? signal}); starting another`,
    );
    setTimeout(fork, 1000);
  });
  const stop = (signal: NodeJS.Signals): void => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  for (let i = 0; i < count; i++) fork();
  logger.log(`frontend: ${count} worker processes on one port`);
}

export function isClusterPrimary(): boolean {
  return cluster.isPrimary;
}
