import type { NodeFlavor } from './node-flavor';

/** The largest nonce a block header can carry (uint32): "any nonce". */
export const ANY_NONCE = 0xffff_ffff;

/**
 * The largest nonce a block may carry, from its own header time and the previous block's time —
 * the wallet's and the node's `CheckNonce`: elapsed = blockTime − prevBlockTime; more than 30
 * minutes → any nonce; else max(512, elapsed × 256) (src/pow.cpp:284-296 @1.2.0.1, used by
 * CheckProofOfWork :334,407; src/rpcpog.cpp:993-1004 @1.4.4.8, used by the miner before it sends a
 * share, src/miner.cpp:951 @1.2.0.1, :1200 @1.4.4.8). Not `exec pinfo`, which measures from the
 * node's clock now (src/rpcblockchain.cpp:1502-1511 @1.2.0.1).
 * The F9000 gate (from prev height 21,550 main, 100 test: src/main.h:74-75 @1.2.0.1) is not
 * applied: the pool applies the limit at every height.
 */
export function blockNonceLimit(prevBlockTime: number, blockTime: number): number {
  const elapsed = blockTime - prevBlockTime;
  if (elapsed > 30 * 60) return ANY_NONCE;
  return Math.max(512, elapsed * 256);
}

/**
 * How far a block's time may be ahead of the node's clock before the node refuses the block:
 * classic 5 minutes after prev height 24,999, else 15 (CheckBlockHeader, src/main.cpp:4307,4311
 * @1.2.0.1); Evo 15 (src/validation.cpp:3366 @1.4.4.8). The pool measures the nonce limit at the
 * share's block time but no later than its arrival plus this, so a block dated into the future
 * does not buy a larger nonce than the node would ever see.
 */
export function futureBlockSeconds(flavor: NodeFlavor, prevHeight: number): number {
  return flavor === 'classic' && prevHeight > 24_999 ? 5 * 60 : 15 * 60;
}
