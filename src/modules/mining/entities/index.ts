import { MinerEntity } from './miner.entity';
import { WorkerEntity } from './worker.entity';
import { WorkEntity } from './work.entity';
import { SourceSuspensionEntity } from './source-suspension.entity';

/** The mining module's tables (`miner`, `worker`, `work`, `source_suspension`): registered with TypeOrmModule.forFeature by the module, listed in src/entities.ts. */
export const MINING_ENTITIES = [MinerEntity, WorkerEntity, WorkEntity, SourceSuspensionEntity];
