import { JOBS_ENTITIES } from './jobs/job-lease.entity';
import { ADMIN_ENTITIES } from './modules/admin/entities';
import { BLOCK_ENTITIES } from './modules/block/entities';
import { MINING_ENTITIES } from './modules/mining/entities';
import { PAYOUT_ENTITIES } from './modules/payout/entities';
import { SOLUTION_ENTITIES } from './modules/solution/entities';

/**
 * Every table of the schema, assembled here at the composition root from the lists of the modules
 * that own them (each module also registers its own with TypeOrmModule.forFeature, and the roles'
 * data source loads those: autoLoadEntities). For what needs the whole schema at once: the typeorm
 * CLI (ormconfig.ts) and the schema test (entities against migrations). src/database knows none.
 */
export const ENTITIES = [
  ...MINING_ENTITIES,
  ...SOLUTION_ENTITIES,
  ...BLOCK_ENTITIES,
  ...PAYOUT_ENTITIES,
  ...JOBS_ENTITIES,
  ...ADMIN_ENTITIES,
];
