/** Networks a BiblePay wallet names in its `NetworkID` header and that a pool can serve. */
export const KNOWN_NETWORKS = ['main', 'test'] as const;
export type Network = (typeof KNOWN_NETWORKS)[number];

export function isNetwork(value: string): value is Network {
  return (KNOWN_NETWORKS as readonly string[]).includes(value);
}

/**
 * COINBASE_MATURITY (src/consensus/consensus.h:14 @1.2.0.1, :24 @1.4.4.8). The wallet counts a
 * coinbase spendable one block later: GetBlocksToMaturity() = max(0, COINBASE_MATURITY + 1 - depth)
 * (src/wallet/wallet.cpp:4377-4381 @1.2.0.1, :5643-5647 @1.4.4.8), so `getwalletinfo.balance`,
 * `getbalance` and `sendmany` see it at 102 confirmations.
 */
const CONSENSUS_COINBASE_MATURITY = 101;
export const WALLET_COINBASE_MATURITY = CONSENSUS_COINBASE_MATURITY + 1;

/** Chain facts per network (docs/PROTOCOL.md "Chain facts"). */
export const CHAIN_PARAMS: Record<
  Network,
  { addressVersion: number; blockSpacingSeconds: number; coinbaseMaturity: number }
> = {
  // coinbaseMaturity: confirmations until the wallet can spend a coinbase (see above).
  main: {
    addressVersion: 25,
    blockSpacingSeconds: 7 * 60,
    coinbaseMaturity: WALLET_COINBASE_MATURITY,
  },
  test: {
    addressVersion: 140,
    blockSpacingSeconds: 60,
    coinbaseMaturity: WALLET_COINBASE_MATURITY,
  },
};
