import { Module } from '@nestjs/common';
import { MinerRepository } from './miner.repository';
import { WorkRepository } from './work.repository';

/**
 * The mining module's tables (`miner`, `worker`, `work`) behind their repositories, without the
 * getwork controller: the frontend's MiningModule imports it, and so do the backend modules that
 * read or change a miner (validation, suspension, rating, the chain walk, payouts, the console).
 */
@Module({
  providers: [MinerRepository, WorkRepository],
  exports: [MinerRepository, WorkRepository],
})
export class MinerStoreModule {}
