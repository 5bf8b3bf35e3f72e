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
   * `transient`: the failure is not the batch's fault (the database unreachable, a lock timeout), so
   * retrying the same batch may succeed; otherwise the transport splits it at once to find the
   * solution that fails.
   */
  | { status: 'failed'; message: string; transient?: boolean };

export type SolutionBatch = readonly SolutionMessage[];
