import { SHARE_WEIGHT_SCALE } from '../../../biblepay/hash-target';
import { SolutionRepository } from '../../solution/solution.repository';
import { PoolBlock } from '../block.repository';
import { PayoutScheme } from './payout-scheme';

/** PPLNS: the block pays the last N base-target shares of weight before it, across rounds. */
export class PplnsScheme implements PayoutScheme {
  readonly name = 'pplns';

  constructor(
    private readonly solutions: SolutionRepository,
    private readonly windowShares: number,
  ) {}

  weights(block: PoolBlock): Promise<Map<number, bigint>> {
    return this.solutions.lastNWeights(
      block.network,
      block.chainTime,
      BigInt(this.windowShares) * SHARE_WEIGHT_SCALE,
    );
  }
}
