import { feeOf, splitByWeight } from './split';

const sum = (m: Map<unknown, bigint>): bigint => [...m.values()].reduce((a, b) => a + b, 0n);
const COIN = 100_000_000n;

describe('exact splits', () => {
  it('splits subsidy 5003 over 85,714 shares from 1,000 miners exactly to the base unit', () => {
    const weights = new Map<number, bigint>();
    let shares = 85_714;
    for (let miner = 1; miner <= 1000; miner++) {
      const mine = miner === 1000 ? shares : 1 + ((miner * 7919) % 150);
      weights.set(miner, BigInt(mine) * 1_000_000n);
      shares -= mine;
    }
    expect(shares).toBeGreaterThanOrEqual(0);
    const amount = 5003n * COIN;
    const parts = splitByWeight(amount, weights);
    expect(sum(parts)).toBe(amount);
    // every part is within one base unit of its exact proportional value
    const total = [...weights.values()].reduce((a, b) => a + b, 0n);
    for (const [miner, part] of parts) {
      const exact = (amount * weights.get(miner)!) / total;
      expect(part - exact === 0n || part - exact === 1n).toBe(true);
    }
  });

  it('gives the leftover units to the largest remainders, ties to the smaller key', () => {
    const parts = splitByWeight(
      10n,
      new Map([
        [3, 1n],
        [1, 1n],
        [2, 1n],
      ]),
    );
    expect([...parts.entries()].sort()).toEqual([
      [1, 4n],
      [2, 3n],
      [3, 3n],
    ]);
    const skewed = splitByWeight(
      100n,
      new Map([
        ['a', 2n],
        ['b', 1n],
      ]),
    );
    expect(skewed.get('a')).toBe(67n);
    expect(skewed.get('b')).toBe(33n);
  });

  it('gives nothing to zero weights and splits nothing when there is no weight', () => {
    expect(
      splitByWeight(
        7n,
        new Map([
          ['x', 0n],
          ['y', 5n],
        ]),
      ),
    ).toEqual(
      new Map([
        ['x', 0n],
        ['y', 7n],
      ]),
    );
    expect(sum(splitByWeight(7n, new Map([['x', 0n]])))).toBe(0n);
  });

  it('floors the fee in favour of the miners', () => {
    expect(feeOf(5003n * COIN, 12_500)).toBe(6_253_750_000n); // 1.25 %
    expect(feeOf(999n, 10_000)).toBe(9n); // 1 % of 999 units
    expect(feeOf(5003n * COIN, 0)).toBe(0n);
  });
});
