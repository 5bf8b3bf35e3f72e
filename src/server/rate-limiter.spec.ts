import { clientKey, SlidingWindowLimiter } from './rate-limiter';

describe('SlidingWindowLimiter', () => {
  const clock = (start: number) => {
    let now = start;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('lets exactly `limit` requests per key through in one window and refuses the next', () => {
    const c = clock(60_000);
    const limiter = new SlidingWindowLimiter(5, 60_000, c.now);
    const answers = Array.from({ length: 7 }, () => limiter.take('1.2.3.4'));
    expect(answers).toEqual([true, true, true, true, true, false, false]);
    expect(limiter.take('5.6.7.8')).toBe(true);
  });

  it('does not count refused requests: a client over the limit gets its full budget next minute', () => {
    const c = clock(0);
    const limiter = new SlidingWindowLimiter(10, 60_000, c.now);
    for (let i = 0; i < 50; i++) limiter.take('nat');
    c.advance(120_000); // two windows on: nothing of the burst is remembered
    expect(Array.from({ length: 10 }, () => limiter.take('nat')).every(Boolean)).toBe(true);
    expect(limiter.take('nat')).toBe(false);
  });

  it('weighs the previous window by how much of it is still inside the sliding minute', () => {
    const c = clock(0);
    const limiter = new SlidingWindowLimiter(100, 60_000, c.now);
    for (let i = 0; i < 100; i++) expect(limiter.take('k')).toBe(true);
    c.advance(60_000 + 15_000); // 25 % into the next window: 75 % of the last one still counts
    let allowed = 0;
    while (limiter.take('k')) allowed++;
    expect(allowed).toBe(25);
    c.advance(30_000); // 75 % in: 25 of the previous 100 count, plus the 25 taken
    allowed = 0;
    while (limiter.take('k')) allowed++;
    expect(allowed).toBe(50);
  });

  it('forgets keys two windows old, so memory stays bounded by recent clients', () => {
    const c = clock(0);
    const limiter = new SlidingWindowLimiter(3, 1000, c.now);
    for (let i = 0; i < 1000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(1000);
    c.advance(1000);
    limiter.take('one');
    expect(limiter.size).toBe(1001);
    c.advance(1000);
    limiter.take('one');
    expect(limiter.size).toBe(2);
  });

  it('tells how long to wait until the window ends', () => {
    const c = clock(60_000 + 45_500);
    expect(new SlidingWindowLimiter(1, 60_000, c.now).retryAfterSeconds()).toBe(15);
  });
});

describe('clientKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3:8d3::/64'],
    ['2001:db8:85a3:8d3::1', '2001:db8:85a3:8d3::/64'],
    ['2001:DB8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, '?'],
  ])('%s → %s', (ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });

  it('puts every address of one IPv6 /64 under one key', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
  });
});
