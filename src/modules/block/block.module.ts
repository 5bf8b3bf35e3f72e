import { Module } from '@nestjs/common';
import { BiblepayNodeModule } from '../../biblepay/biblepay-node.module';
import { JobsModule } from '../../jobs/jobs.module';
import { MinerStoreModule } from '../mining/miner-store.module';
import { PayoutModule } from '../payout/payout.module';
import { SolutionStoreModule } from '../solution/solution-store.module';
import { BlockJobsService } from './block-jobs.service';
import { BlockRepository } from './block.repository';
import { ChainWalkerService } from './chain-walker.service';
import { RatingService } from './rating.service';
import { RoundKeeperService } from './round-keeper.service';
import { ShareoutReversalService } from './shareout-reversal.service';
import { ShareoutService } from './shareout.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BLOCK_ENTITIES } from './entities';

/** Backend: chain walk, rounds, maturity and orphans, shareout, rating. Owns `block`. */
@Module({
  imports: [
    TypeOrmModule.forFeature(BLOCK_ENTITIES),
    BiblepayNodeModule,
    JobsModule,
    SolutionStoreModule,
    MinerStoreModule,
    PayoutModule,
  ],
  providers: [
    BlockRepository,
    ChainWalkerService,
    RoundKeeperService,
    ShareoutService,
    ShareoutReversalService,
    RatingService,
    BlockJobsService,
  ],
  exports: [BlockRepository, BlockJobsService, ShareoutService],
})
export class BlockModule {}
