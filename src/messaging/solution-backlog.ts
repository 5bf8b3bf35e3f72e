/**
 * Whether shares may still be waiting to be recorded: queued in the broker, buffered or being
 * validated by this backend. A pool block's round is fixed only once the backlog has drained (or a
 * bounded wait has passed), so a backlog cannot push shares out of the round they belong to.
 */
export interface SolutionBacklog {
  drained(): Promise<boolean>;
}

/** Provided by the solution module (the consumer) in a backend; absent in the CLI. */
export const SOLUTION_BACKLOG = Symbol('SOLUTION_BACKLOG');
