import { formatCoins } from '../chain/amount';
import { simNodeOptionsFromEnv } from './options';
import { startSimNode } from './sim-node';

/**
 * `npm run sim:node`: the simulated BiblePay node, configured by SIM_* environment variables.
 * SIGINT/SIGTERM stop it cleanly; SIGUSR2 brings it back after `sim_down` with no time limit.
 */
async function main(): Promise<void> {
  const node = await startSimNode(simNodeOptionsFromEnv(process.env));
  const o = node.options;
  node.options.log(
    `sim node (${o.network}) listening on ${node.url} height=${node.chain.height} ` +
      `pool_address=${o.poolAddress} block_seconds=${o.blockSeconds} ` +
      `subsidy=${formatCoins(o.subsidy)} network_target=${node.chain.networkTarget}` +
      (o.statePath ? ` state=${o.statePath}` : ''),
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    node.options.log(`sim node stopping (${signal})`);
    void node.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGUSR2', () => void node.goUp());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sim node failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
