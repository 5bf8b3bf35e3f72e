import { Module } from '@nestjs/common';
import { BiblepayNodeModule } from '../../biblepay/biblepay-node.module';
import { JobsModule } from '../../jobs/jobs.module';
import { MinerStoreModule } from '../mining/miner-store.module';
import { PayoutModule } from '../payout/payout.module';
import { SolutionStoreModule } from '../solution/solution-store.module';
import { BlockJobs } from './block-jobs.service';
import { BlockRepository } from './block.repository';
import { ChainWalker } from './chain-walker.service';
import { RatingService } from './rating.service';
import { RoundKeeper } from './round-keeper.service';
import { ShareoutReversal } from './shareout-reversal.service';
import { ShareoutService } from './shareout.service';

/** Backend: chain walk, rounds, maturity and orphans, shareout, rating. Owns `block`. */
@Module({
  imports: [BiblepayNodeModule, JobsModule, SolutionStoreModule, MinerStoreModule, PayoutModule],
  providers: [
    BlockRepository,
    ChainWalker,
    RoundKeeper,
    ShareoutService,
    ShareoutReversal,
    RatingService,
    BlockJobs,
  ],
  exports: [BlockRepository, BlockJobs, ShareoutService],
})
export class BlockModule {}
