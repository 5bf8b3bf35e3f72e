import { Module } from '@nestjs/common';
import { RoundRepository } from './round.repository';
import { SolutionRepository } from './solution.repository';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SOLUTION_ENTITIES } from './entities';

/**
 * The solution tables' repositories alone (shares, rounds), for modules that read or assign shares
 * (the block module, the CLI) without running the queue consumer.
 */
@Module({
  imports: [TypeOrmModule.forFeature(SOLUTION_ENTITIES)],
  providers: [SolutionRepository, RoundRepository],
  exports: [SolutionRepository, RoundRepository],
})
export class SolutionStoreModule {}
