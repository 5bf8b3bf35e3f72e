/**
 * The one retry delay of the code base: exponential from `baseMs`, capped at `maxMs`.
 * `jitter: 'equal'` spreads callers over the upper half of the step (many clients retrying the
 * node at once must not retry in step); without it the delay is exact (tests, log lines).
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  options: { jitter?: 'none' | 'equal'; random?: () => number } = {},
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  if (options.jitter !== 'equal') return ceiling;
  return ceiling / 2 + ((options.random ?? Math.random)() * ceiling) / 2;
}
