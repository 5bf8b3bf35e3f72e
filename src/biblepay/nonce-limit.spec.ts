import { ANY_NONCE, blockNonceLimit, futureBlockSeconds } from './nonce-limit';

describe('blockNonceLimit (the node and wallet CheckNonce, src/pow.cpp:284-296 @1.2.0.1)', () => {
  const prev = 1_000_000;
  it('is 512 up to 2 s after the previous block, also for a block dated before it', () => {
    expect(blockNonceLimit(prev, prev)).toBe(512);
    expect(blockNonceLimit(prev, prev + 2)).toBe(512);
    expect(blockNonceLimit(prev, prev - 60)).toBe(512);
  });
  it('grows by 256 per second of the block time after the previous block', () => {
    expect(blockNonceLimit(prev, prev + 3)).toBe(768);
    expect(blockNonceLimit(prev, prev + 1800)).toBe(1800 * 256);
  });
  it('allows any nonce when the block time is more than 30 minutes after the previous block', () => {
    expect(blockNonceLimit(prev, prev + 1801)).toBe(ANY_NONCE);
  });
  it("agrees with the node's own self-test (src/rpcblockchain.cpp:1760-1768 @1.2.0.1)", () => {
    const check = (nonce: number, prevTime: number, time: number) =>
      nonce <= blockNonceLimit(prevTime, time);
    expect(check(1, 10000, 10060)).toBe(true);
    expect(check(256000, 10000, 10060)).toBe(false);
    expect(check(256000, 10000, 10000 + 1900)).toBe(true);
    expect(check(1256000, 10000, 10000 + 180)).toBe(false);
    expect(check(1256000, 10000, 10000 + 18000)).toBe(true);
  });
});

describe('futureBlockSeconds (CheckBlockHeader)', () => {
  it('classic: 15 minutes up to prev height 24,999, then 5 (src/main.cpp:4307,4311 @1.2.0.1)', () => {
    expect(futureBlockSeconds('classic', 24_999)).toBe(900);
    expect(futureBlockSeconds('classic', 25_000)).toBe(300);
  });
  it('Evo: 15 minutes (src/validation.cpp:3366 @1.4.4.8)', () => {
    expect(futureBlockSeconds('evo', 200_000)).toBe(900);
  });
});
