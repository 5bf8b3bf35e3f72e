import { PoolBlock } from '../block.repository';

/** How a pool block's reward is weighed over miners (MiningCore's IPayoutScheme). */
export interface PayoutScheme {
  readonly name: string;
  /** Share weight per miner id for this block. */
  weights(block: PoolBlock): Promise<Map<number, bigint>>;
}
