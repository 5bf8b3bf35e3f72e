/**
 * Hash targets are 256-bit numbers written as 64 hex characters (docs/PROTOCOL.md: the wallet takes the
 * first 64 hex characters of HASHTARGET). A share is valid when bible hash <= target.
 */
const HEX64 = /^[0-9a-f]{64}$/;

export function isHashTarget(value: string): boolean {
  return HEX64.test(value) && /[1-9a-f]/.test(value);
}

export function isHash(value: string): boolean {
  return HEX64.test(value);
}

export function hashToBigInt(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

export function bigIntToHash(value: bigint): string {
  if (value < 0n || value >= 1n << 256n) throw new RangeError('hash out of 256-bit range');
  return value.toString(16).padStart(64, '0');
}

/** The wallet sends a share when hash <= target (inclusive). */
export function meetsTarget(hash: string, target: string): boolean {
  return hashToBigInt(hash) <= hashToBigInt(target);
}

/** Share weight scale: weights are integers in millionths of a base-target share. */
export const SHARE_WEIGHT_SCALE = 1_000_000n;

/**
 * Difficulty of `target` relative to `baseTarget`, in millionths (base target → 1,000,000):
 * a share found against a harder (smaller) target counts proportionally more.
 */
export function shareWeight(baseTarget: string, target: string): bigint {
  const t = hashToBigInt(target);
  if (t === 0n) throw new RangeError('zero hash target');
  return (hashToBigInt(baseTarget) * SHARE_WEIGHT_SCALE) / t;
}
