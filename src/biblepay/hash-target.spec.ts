import {
  bigIntToHash,
  hashToBigInt,
  isHashTarget,
  meetsTarget,
  SHARE_WEIGHT_SCALE,
  shareWeight,
} from './hash-target';

const BASE = '0000011110000000000000000000000000000000000000000000000000000000';

describe('hash targets', () => {
  it('accepts a share whose hash equals the target (the wallet sends when hash <= target)', () => {
    expect(meetsTarget(BASE, BASE)).toBe(true);
    expect(meetsTarget(bigIntToHash(hashToBigInt(BASE) + 1n), BASE)).toBe(false);
    expect(meetsTarget(bigIntToHash(hashToBigInt(BASE) - 1n), BASE)).toBe(true);
  });

  it('weighs a share against the base target: base → 1.0, half the target → 2.0', () => {
    expect(shareWeight(BASE, BASE)).toBe(SHARE_WEIGHT_SCALE);
    expect(shareWeight(BASE, bigIntToHash(hashToBigInt(BASE) / 2n))).toBe(2n * SHARE_WEIGHT_SCALE);
    expect(shareWeight(BASE, bigIntToHash(hashToBigInt(BASE) * 4n))).toBe(SHARE_WEIGHT_SCALE / 4n);
  });

  it('refuses a zero or malformed target', () => {
    expect(isHashTarget('0'.repeat(64))).toBe(false);
    expect(isHashTarget('xyz')).toBe(false);
    expect(isHashTarget(BASE)).toBe(true);
    expect(() => shareWeight(BASE, '0'.repeat(64))).toThrow(RangeError);
  });
});
