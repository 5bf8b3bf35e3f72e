import { SHARE_WEIGHT_SCALE } from '../../../biblepay/hash-target';
import { RoundRepository } from '../../solution/round.repository';
import { PoolBlock } from '../block.repository';
import { PayoutScheme } from './payout-scheme';

/** PPLNS: the block pays the last N base-target shares of weight before it, across rounds. */
export class PplnsScheme implements PayoutScheme {
  readonly name = 'pplns';

  constructor(
    private readonly rounds: RoundRepository,
    private readonly windowShares: number,
  ) {}

  async weights(block: PoolBlock): Promise<Map<number, bigint>> {
    return this.rounds.lastNWeights(
      block.network,
      await this.rounds.roundEnd(block),
      BigInt(this.windowShares) * SHARE_WEIGHT_SCALE,
    );
  }
}
