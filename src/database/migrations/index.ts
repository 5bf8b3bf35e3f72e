import { InitialSchema1795890190756 } from './1795890190756-initial-schema';

/** Every migration, oldest first. New ones are generated with `npm run db:migration:generate`. */
export const MIGRATIONS = [InitialSchema1795890190756];
