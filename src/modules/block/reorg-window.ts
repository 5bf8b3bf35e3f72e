/**
 * How far below the re-checked window (the last REORG_DEPTH stored heights) a reorganisation is
 * followed down, in REORG_DEPTH windows. A reorg that replaced the lowest height of the window may
 * go deeper than REORG_DEPTH: the walker then compares further stored heights with the chain until
 * one agrees (the fork point), and the reversal re-checks the shared-out pool blocks the walker
 * found displaced there — down to this many windows below, never further (an error is logged).
 */
export const DEEP_REORG_WINDOWS = 10;

/** The lowest height a reorganisation is followed down to. */
export function deepReorgFloor(tip: number, reorgDepth: number): number {
  return Math.max(1, tip - reorgDepth * (DEEP_REORG_WINDOWS + 1) + 1);
}
