import { Module } from '@nestjs/common';
import { MinerRepository } from './miner.repository';
import { SourceSuspensionRepository } from './source-suspension.repository';
import { WorkRepository } from './work.repository';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MINING_ENTITIES } from './entities';

/**
 * The mining module's tables (`miner`, `worker`, `work`, `source_suspension`) behind their repositories, without the
 * getwork controller: the frontend's MiningModule imports it, and so do the backend modules that
 * read or change a miner (validation, suspension, rating, the chain walk, payouts, the console).
 */
@Module({
  imports: [TypeOrmModule.forFeature(MINING_ENTITIES)],
  providers: [MinerRepository, WorkRepository, SourceSuspensionRepository],
  exports: [MinerRepository, WorkRepository, SourceSuspensionRepository],
})
export class MinerStoreModule {}
