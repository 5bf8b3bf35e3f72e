import { backoffMs } from './backoff';

describe('backoffMs (every retry delay)', () => {
  it('doubles from the base up to the cap', () => {
    expect([0, 1, 2, 3, 10, 100].map((a) => backoffMs(a, 250, 30_000))).toEqual([
      250, 500, 1000, 2000, 30_000, 30_000,
    ]);
  });

  it('with equal jitter stays in the upper half of the step', () => {
    expect(backoffMs(2, 100, 10_000, { jitter: 'equal', random: () => 0 })).toBe(200);
    expect(backoffMs(2, 100, 10_000, { jitter: 'equal', random: () => 1 })).toBe(400);
  });
});
