import { SolutionEntity } from './solution.entity';
import { RejectedSolutionEntity } from './rejected-solution.entity';

/** The solution module's tables (`solution`, `rejected_solution`): registered with TypeOrmModule.forFeature by the module, listed in src/entities.ts. */
export const SOLUTION_ENTITIES = [SolutionEntity, RejectedSolutionEntity];
