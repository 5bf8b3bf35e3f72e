import type { SimNodeHandle } from '../../sim/node/sim-node';
import type { WalletSend } from '../../sim/node/wallet';
import { Factories, MinerRow } from './factories';

/**
 * The simulated wallet's sends that paid `address` (the node's own records, not the pool's),
 * also those its lists have lost track of.
 */
export function sendsTo(node: SimNodeHandle, address: string): WalletSend[] {
  return node.wallet
    .entries({ includeHidden: true })
    .filter((e): e is WalletSend => e.kind === 'send')
    .filter((s) => s.outputs.some((o) => o.address === address));
}

/** Miners with a shared-out credit of `amount` each: due at the next payout run. */
export async function creditedMiners(
  factories: Factories,
  count: number,
  amount: bigint,
): Promise<MinerRow[]> {
  // Deep in the chain: the stored blocks must not look ahead of the node (/health: node behind).
  const block = await factories.block({ height: 1, isPoolBlock: true, status: 'mature' });
  const miners = await Promise.all(Array.from({ length: count }, () => factories.miner()));
  await factories.shareOut(
    block,
    miners.map((miner) => ({ miner, amount })),
  );
  return miners;
}
