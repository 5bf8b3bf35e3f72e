import bs58check from 'bs58check';
import { encodeAddress, isValidAddress, randomAddress } from './address';

describe('BiblePay addresses', () => {
  it('accepts freshly encoded main and test addresses on their own network only', () => {
    const main = randomAddress('main');
    const test = randomAddress('test');
    expect(main).toMatch(/^B/);
    expect(test).toMatch(/^y/);
    expect(isValidAddress('main', main)).toBe(true);
    expect(isValidAddress('test', test)).toBe(true);
    expect(isValidAddress('test', main)).toBe(false);
    expect(isValidAddress('main', test)).toBe(false);
  });

  it('rejects a bad checksum, wrong length and non-base58 text', () => {
    const good = encodeAddress('main', new Uint8Array(20).fill(7));
    const last = good[good.length - 1];
    const flipped = good.slice(0, -1) + (last === '1' ? '2' : '1');
    expect(isValidAddress('main', flipped)).toBe(false);
    expect(isValidAddress('main', good.slice(0, -1))).toBe(false);
    expect(isValidAddress('main', '0OIl' + good.slice(4))).toBe(false);
    expect(isValidAddress('main', '')).toBe(false);
  });

  it('answers the same the second time (checked addresses are remembered): network, checksum', () => {
    const main = randomAddress('main');
    const flipped = main.slice(0, -1) + (main.endsWith('1') ? '2' : '1');
    for (let round = 0; round < 2; round++) {
      expect(isValidAddress('main', main)).toBe(true);
      expect(isValidAddress('test', main)).toBe(false);
      expect(isValidAddress('main', flipped)).toBe(false);
    }
  });

  it('rejects a payload of the right version but the wrong size', () => {
    const payload = new Uint8Array(22);
    payload[0] = 25;
    const odd = bs58check.encode(payload);
    expect(isValidAddress('main', odd)).toBe(false);
  });
});
