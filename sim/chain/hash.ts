import { createHash } from 'node:crypto';

const HEX64 = /^[0-9a-f]{64}$/;
export const ZERO_HASH = '0'.repeat(64);

export function isHex64(value: string): boolean {
  return HEX64.test(value);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 applied twice, as bitcoin-family chains hash headers and transactions. */
export function doubleSha256Hex(data: string | Uint8Array): string {
  const first = createHash('sha256').update(data).digest();
  return createHash('sha256').update(first).digest('hex');
}

/** The five inputs of `exec biblehash`, after the node has read its string arguments. */
export interface BibleHashInput {
  blockHash: string;
  blockTime: number;
  prevBlockTime: number;
  prevHeight: number;
  nonce: number;
}

/**
 * The simulator's stand-in for BiblePay's proof-of-bible-hash (the real one needs the node's
 * embedded KJV text): SHA-256 over the five `exec biblehash` inputs written as strings in a JSON
 * array — `["<block hash, lower-case>","<block time>","<prev block time>","<prev height>","<nonce>"]`
 * with the numbers as plain integers — so no two different inputs share one preimage.
 * 64 lower-case hex characters. The simulated node, the simulated miner and the tests all call
 * this one function.
 */
export function bibleHash(input: BibleHashInput): string {
  const preimage = JSON.stringify([
    input.blockHash.toLowerCase(),
    String(input.blockTime),
    String(input.prevBlockTime),
    String(input.prevHeight),
    String(input.nonce),
  ]);
  return sha256Hex(preimage);
}

/**
 * The node's `cdbl(text, 0)` for the integer arguments of `exec`: the leading number of the text,
 * truncated toward zero, 0 when there is none. Accepts what the node accepts ("00042", " 42").
 */
export function readIntegerArgument(text: string): number {
  const value = Number.parseFloat(text.trim());
  return Number.isFinite(value) ? Math.trunc(value) : 0;
}

/** Takes the first 64 hex characters, as the wallet reads HASHTARGET. */
export function targetToBigInt(target: string): bigint {
  return BigInt(`0x${target.slice(0, 64)}`);
}

/** The wallet's and the node's rule: a hash meets a target when hash <= target (inclusive). */
export function hashMeetsTarget(hash: string, target: string): boolean {
  return BigInt(`0x${hash}`) <= targetToBigInt(target);
}

/**
 * The node's nonce cap (`exec pinfo`): seconds since the tip × 256, at least 512, and 999999999
 * once the tip is more than 30 minutes old. The wallet keeps its nonces at or below it.
 */
export function maxNonce(elapsedSeconds: number): number {
  const cap = elapsedSeconds > 30 * 60 ? 999_999_999 : elapsedSeconds * 256;
  return Math.max(512, cap);
}

/**
 * `CheckNonce`: whether a block's nonce is allowed for its own header time — measured from the
 * previous block's time to the block's time (not to now, unlike `pinfo`); more than 30 minutes →
 * any nonce (src/pow.cpp:284-296 @1.2.0.1; src/rpcpog.cpp:993-1004 @1.4.4.8).
 */
export function checkNonce(nonce: number, prevBlockTime: number, blockTime: number): boolean {
  const elapsed = blockTime - prevBlockTime;
  if (elapsed > 30 * 60) return true;
  return nonce <= Math.max(512, elapsed * 256);
}

/** F9000: prev height from which the node checks the nonce (src/main.h:74-75 @1.2.0.1). */
export const F9000_PREV_HEIGHT = { main: 21_550, test: 100 } as const;
