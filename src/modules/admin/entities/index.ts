import { AdminActionEntity } from './admin-action.entity';
import { AdminSpentTokenEntity } from './admin-spent-token.entity';

/** The operator console's tables (`admin_action`, `admin_spent_token`): registered with TypeOrmModule.forFeature by the module, listed in src/entities.ts. */
export const ADMIN_ENTITIES = [AdminActionEntity, AdminSpentTokenEntity];
