/**
 * Exact money splits in integer base units. Nothing here touches a float: a split's parts always
 * add up to the amount split, to the last base unit.
 */

/** The pool fee of `amount` at `partsPerMillion` (floored: rounding always favours the miners). */
export function feeOf(amount: bigint, partsPerMillion: bigint | number): bigint {
  return (amount * BigInt(partsPerMillion)) / 1_000_000n;
}

/**
 * Splits `amount` over `weights` in proportion, by largest remainder: everyone gets the floor of
 * their exact share, then the units left over go one each to the largest fractional parts (ties:
 * smaller key first, so the split is deterministic). Σ parts = amount exactly; zero weights get 0.
 */
export function splitByWeight<K extends string | number>(
  amount: bigint,
  weights: ReadonlyMap<K, bigint>,
): Map<K, bigint> {
  if (amount < 0n) throw new RangeError('cannot split a negative amount');
  let total = 0n;
  for (const w of weights.values()) {
    if (w < 0n) throw new RangeError('negative weight');
    total += w;
  }
  const parts = new Map<K, bigint>();
  if (total === 0n) {
    for (const key of weights.keys()) parts.set(key, 0n);
    return parts;
  }
  const remainders: { key: K; remainder: bigint }[] = [];
  let given = 0n;
  for (const [key, w] of weights) {
    const exact = amount * w;
    const part = exact / total;
    parts.set(key, part);
    given += part;
    remainders.push({ key, remainder: exact % total });
  }
  let left = amount - given; // < number of weights
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? compareKeys(a.key, b.key) : a.remainder > b.remainder ? -1 : 1,
  );
  for (const { key } of remainders) {
    if (left === 0n) break;
    parts.set(key, (parts.get(key) ?? 0n) + 1n);
    left--;
  }
  return parts;
}

function compareKeys(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
