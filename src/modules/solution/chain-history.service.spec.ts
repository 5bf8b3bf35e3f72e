import { maxNonce } from './chain-history.service';

describe('max nonce (the node pinfo rule)', () => {
  const tip = { height: 10, tipTimeMs: 1_000_000 };
  it('is 512 right after a block', () => {
    expect(maxNonce(tip, 1_000_000)).toBe(512);
    expect(maxNonce(tip, 1_001_999)).toBe(512);
  });
  it('grows by 256 per second since the tip', () => {
    expect(maxNonce(tip, 1_000_000 + 10_000)).toBe(2560);
  });
  it('opens to 999999999 after 30 minutes without a block', () => {
    expect(maxNonce(tip, 1_000_000 + 1800_000)).toBe(1800 * 256);
    expect(maxNonce(tip, 1_000_000 + 1801_000)).toBe(999_999_999);
  });
});
