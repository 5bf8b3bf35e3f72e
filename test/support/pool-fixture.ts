import { startSimNode, SimNodeHandle } from '../../sim/node/sim-node';
import { RunningApp, startRole } from './harness';
import { poolAddresses } from './test-env';

/** Easy pool target for tests (1 in 16 hashes): shares are found in microseconds. */
export const TEST_HASH_TARGET = '0fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff';
/** A network target no test share meets by accident. */
export const HARD_NETWORK_TARGET =
  '00000000000fffffffffffffffffffffffffffffffffffffffffffffffffffff';

export interface PoolFixture {
  node: SimNodeHandle;
  env: Record<string, string>;
  frontend: RunningApp;
  close(): Promise<void>;
}

/** A quiet simulated main-network node paying the run's pool address, blocks only when mined. */
export function startTestSimNode(
  nodeOptions: Parameters<typeof startSimNode>[0] = {},
): Promise<SimNodeHandle> {
  return startSimNode({
    port: 0,
    network: 'main',
    poolAddress: poolAddresses().main,
    blockSeconds: 0,
    networkTarget: HARD_NETWORK_TARGET,
    log: () => undefined,
    ...nodeOptions,
  });
}

/** A simulated main-network node plus an in-process frontend, wired like a real pool. */
export async function startPoolFixture(
  nodeOptions: Parameters<typeof startSimNode>[0] = {},
): Promise<PoolFixture> {
  const node = await startTestSimNode(nodeOptions);
  const env = {
    POOL_HASH_TARGET: TEST_HASH_TARGET,
    NETWORKS: 'main',
    NODE_RPC_URL_MAIN: node.url,
    NODE_TIP_REFRESH_MS: '0',
    SOLUTION_BATCH_WAIT_MS: '5',
  };
  const frontend = await startRole('frontend', env);
  return {
    node,
    env,
    frontend,
    close: async () => {
      await frontend.close();
      await node.close();
    },
  };
}
