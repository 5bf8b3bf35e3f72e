import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { causalRead } from '../database/causal-read';

/** The job's lease ended (expired, or taken over) before an irreversible step: stop. */
export class LeaseLostError extends Error {}

export interface JobLease {
  readonly name: string;
  readonly owner: string;
  /** Throws LeaseLostError unless this run still holds the lease, with margin to spare. */
  assertHeld(): Promise<void>;
}

export interface LeaseOptions {
  /** How long a lease lasts unless renewed (renewed every third of it while the job runs). */
  ttlMs: number;
  /** `assertHeld` wants at least this much of the lease left. */
  marginMs: number;
}

export const DEFAULT_LEASE: LeaseOptions = { ttlMs: 30_000, marginMs: 5_000 };

const current = new AsyncLocalStorage<JobLease>();

/**
 * Before an irreversible step (a `sendmany`, a shareout commit): proves the running job still holds
 * its lease. Outside a job (a unit test calling a service directly) there is nothing to prove.
 */
export async function assertLeaseHeld(): Promise<void> {
  await current.getStore()?.assertHeld();
}

/**
 * Runs `work` only if this process gets the lease `name`: a row in `job_lease` with an owner and
 * an expiry, taken with an INSERT or a conditional UPDATE of an expired row, renewed while `work`
 * runs, and deleted at the end. Unlike MySQL's GET_LOCK it survives a dropped connection (a
 * restart, an idle timeout, KILL), holds on a Galera cluster (the row replicates), and only the
 * backend's DB user can take it (the frontend user may not write the table). A run that loses its
 * lease (renewal failed past expiry) finds out at its next `assertLeaseHeld`. Returns undefined
 * when another run holds the lease.
 */
export async function withLease<T>(
  db: DataSource,
  name: string,
  work: () => Promise<T>,
  options: LeaseOptions = DEFAULT_LEASE,
): Promise<T | undefined> {
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`.slice(0, 120);
  if (!(await acquire(db, name, owner, options.ttlMs))) return undefined;
  let lost = false;
  const renewal = setInterval(
    () => {
      renew(db, name, owner, options.ttlMs).then(
        (held) => (lost ||= !held),
        () => undefined, // a dropped connection: the next renewal retries, the expiry decides
      );
    },
    Math.max(100, Math.floor(options.ttlMs / 3)),
  );
  renewal.unref();
  const lease: JobLease = {
    name,
    owner,
    assertHeld: async () => {
      if (lost || !(await holds(db, name, owner, options.marginMs))) {
        lost = true;
        throw new LeaseLostError(`job ${name}: its lease is no longer held by this run`);
      }
    },
  };
  try {
    return await current.run(lease, work);
  } finally {
    clearInterval(renewal);
    await db
      .query('DELETE FROM job_lease WHERE name = ? AND owner = ?', [name, owner])
      .catch(() => undefined); // it expires by itself
  }
}

const expiresIn = (ttlMs: number): string =>
  `DATE_ADD(UTC_TIMESTAMP(3), INTERVAL ${Math.round(ttlMs) * 1000} MICROSECOND)`;

async function acquire(db: DataSource, name: string, owner: string, ttlMs: number) {
  const inserted: { affectedRows?: number } = await db.query(
    `INSERT IGNORE INTO job_lease (name, owner, expires_at, acquired_at)
     VALUES (?, ?, ${expiresIn(ttlMs)}, UTC_TIMESTAMP(3))`,
    [name, owner],
  );
  if ((inserted.affectedRows ?? 0) > 0) return true;
  const taken: { affectedRows?: number } = await db.query(
    `UPDATE job_lease SET owner = ?, expires_at = ${expiresIn(ttlMs)}, acquired_at = UTC_TIMESTAMP(3)
      WHERE name = ? AND expires_at < UTC_TIMESTAMP(3)`,
    [owner, name],
  );
  return (taken.affectedRows ?? 0) > 0;
}

async function renew(db: DataSource, name: string, owner: string, ttlMs: number) {
  const result: { affectedRows?: number } = await db.query(
    `UPDATE job_lease SET expires_at = ${expiresIn(ttlMs)}
      WHERE name = ? AND owner = ? AND expires_at >= UTC_TIMESTAMP(3)`,
    [name, owner],
  );
  return (result.affectedRows ?? 0) > 0;
}

async function holds(db: DataSource, name: string, owner: string, marginMs: number) {
  // Causal: on Galera, a takeover committed on another node must be seen before a sendmany.
  const rows: { n: number | string }[] = await causalRead(
    db,
    `SELECT COUNT(*) AS n FROM job_lease
      WHERE name = ? AND owner = ? AND expires_at > ${expiresIn(marginMs)}`,
    [name, owner],
  );
  return Number(rows[0]?.n ?? 0) > 0;
}
