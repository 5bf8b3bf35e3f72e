import { BlockEntity } from './block.entity';

/** The block module's table (`block`): registered with TypeOrmModule.forFeature by the module, listed in src/entities.ts. */
export const BLOCK_ENTITIES = [BlockEntity];
