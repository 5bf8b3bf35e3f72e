import { Module } from '@nestjs/common';
import { RoundRepository } from './round.repository';
import { SolutionRepository } from './solution.repository';

/**
 * The solution tables' repositories alone (shares, rounds), for modules that read or assign shares
 * (the block module, the CLI) without running the queue consumer.
 */
@Module({
  providers: [SolutionRepository, RoundRepository],
  exports: [SolutionRepository, RoundRepository],
})
export class SolutionStoreModule {}
