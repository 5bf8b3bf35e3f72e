// `npm run cluster:up`: a clustered pool on this machine without Docker (see docs/RUNBOOK.md §11,
// "A local cluster"). `npm run cluster:down` stops everything it started.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { clusterDown, clusterUp, defaultClusterOptions } from './cluster/local-cluster';

async function main(): Promise<void> {
  const log = (line: string): void => console.log(`cluster: ${line}`);
  execFileSync('bash', [path.join(__dirname, 'ensure-services.sh')], { stdio: 'inherit' });
  const options = defaultClusterOptions();
  try {
    const state = await clusterUp(options, log);
    log(
      `wallets and pages: ${state.balancerUrl}/main/  (HAProxy over ${options.frontends} frontends)`,
    );
    for (const p of state.processes)
      log(`${p.name}: pid ${p.pid}, http://127.0.0.1:${p.port}, log ${p.log}`);
    log(
      `RabbitMQ: ${state.nodes.map((n) => `${n.name} amqp://127.0.0.1:${n.amqpPort}`).join(', ')}`,
    );
    log(`backend broker URL list: ${state.setupEnv.BACKEND_AMQP_URL}`);
    log(`simulated node: ${state.nodeRpcUrl}; stop everything with npm run cluster:down`);
  } catch (error) {
    log(`failed: ${(error as Error).message}; stopping what was started`);
    await clusterDown(options.stateDir, log);
    process.exit(1);
  }
}

void main();
