import { RoundRepository } from '../../solution/round.repository';
import { PoolBlock } from '../block.repository';
import { PayoutScheme } from './payout-scheme';

/** PROP (the original): the block pays the shares of its round, in proportion to share weight. */
export class PropScheme implements PayoutScheme {
  readonly name = 'prop';

  constructor(private readonly rounds: RoundRepository) {}

  weights(block: PoolBlock): Promise<Map<number, bigint>> {
    return this.rounds.roundWeights(block.id);
  }
}
