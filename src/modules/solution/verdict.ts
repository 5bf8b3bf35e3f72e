import type { NewRejectedSolution, NewSolution } from './solution.repository';

/**
 * What validation decided for one solution message, before it is written: here rather than in the
 * validator so the validator, the rejected-string budget, the suspender and the recorder import it
 * without importing each other.
 */
export type Verdict =
  | { kind: 'accepted'; row: NewSolution }
  | { kind: 'rejected'; row: NewRejectedSolution }
  /** Recorded before (a redelivery): nothing to write, just ack. */
  | { kind: 'recorded' };
