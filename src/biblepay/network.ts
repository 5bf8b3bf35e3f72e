/** Networks a BiblePay wallet names in its `NetworkID` header and that a pool can serve. */
export const KNOWN_NETWORKS = ['main', 'test'] as const;
export type Network = (typeof KNOWN_NETWORKS)[number];

export function isNetwork(value: string): value is Network {
  return (KNOWN_NETWORKS as readonly string[]).includes(value);
}

/** Chain facts per network (docs/PROTOCOL.md "Chain facts"). */
export const CHAIN_PARAMS: Record<
  Network,
  { addressVersion: number; blockSpacingSeconds: number; coinbaseMaturity: number }
> = {
  main: { addressVersion: 25, blockSpacingSeconds: 7 * 60, coinbaseMaturity: 101 },
  test: { addressVersion: 140, blockSpacingSeconds: 60, coinbaseMaturity: 101 },
};
