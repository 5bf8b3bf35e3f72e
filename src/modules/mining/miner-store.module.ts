import { Module } from '@nestjs/common';
import { MinerRepository } from './miner.repository';
import { SourceSuspensionRepository } from './source-suspension.repository';
import { WorkRepository } from './work.repository';

/**
 * The mining module's tables (`miner`, `worker`, `work`, `source_suspension`) behind their repositories, without the
 * getwork controller: the frontend's MiningModule imports it, and so do the backend modules that
 * read or change a miner (validation, suspension, rating, the chain walk, payouts, the console).
 */
@Module({
  providers: [MinerRepository, WorkRepository, SourceSuspensionRepository],
  exports: [MinerRepository, WorkRepository, SourceSuspensionRepository],
})
export class MinerStoreModule {}
