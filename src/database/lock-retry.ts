import { backoffMs } from '../server/backoff';

/** TypeORM wraps driver errors; the MySQL error code may sit on the error or its driverError. */
export function sqlErrorCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  return e?.driverError?.code ?? e?.code;
}

/** InnoDB gave a transaction up to let another go on: the same work may simply run again. */
export function isLockConflict(error: unknown): boolean {
  const code = sqlErrorCode(error);
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
}

/**
 * Runs a transaction again when InnoDB rolled it back for a deadlock or a lock wait (a background
 * job holding the same rows), up to `attempts` times with a short backoff. `work` must be the
 * whole transaction, so nothing of a rolled-back attempt remains.
 */
export async function retryOnLockConflict<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isLockConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt - 1, 20, 1000)));
    }
  }
}
