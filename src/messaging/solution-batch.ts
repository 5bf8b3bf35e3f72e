import type { SolutionMessage } from './solution-message';

/** The event pattern under which the solution queue server hands each batch to its handler. */
export const SOLUTION_BATCH = 'purepool.solution.batch';

/**
 * What the handler of a batch reports back to the transport. The handler never throws: an
 * exception thrown by a Nest event handler reaches the transport only as an opaque RPC error, and
 * the transport must tell "the node is down, wait" from "this batch fails, give up after a few".
 */
export type SolutionBatchOutcome =
  | { status: 'recorded'; accepted: number; rejected: number; alreadyRecorded: number }
  | { status: 'node_unavailable'; message: string }
  /**
   * The database is down or refusing writes for now (unreachable, read-only, a lock wait given up,
   * a deadlock outlasting the recorder's retries): waited out like the node, never counted against
   * the batch.
   */
  | { status: 'database_unavailable'; message: string }
  /**
   * `transient`: the connection broke on this batch while the database answers others (a
   * statement that breaks its own connection looks like that), so the same batch is retried whole
   * a few times before it is split; otherwise the transport splits it at once to find the solution
   * that fails.
   */
  | { status: 'failed'; message: string; transient?: boolean };

export type SolutionBatch = readonly SolutionMessage[];
