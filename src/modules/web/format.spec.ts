import {
  formatAge,
  formatCoins,
  formatHashrate,
  formatShortUtc,
  formatUtc,
  lastUtcDays,
  percentOf,
  startOfUtcDays,
} from './format';

describe('web formatting', () => {
  it('writes coins exactly with grouped thousands, from base units', () => {
    expect(formatCoins(0n)).toBe('0');
    expect(formatCoins(1n)).toBe('0.00000001');
    expect(formatCoins(123_456_789_012n)).toBe('1,234.56789012');
    expect(formatCoins(-300_000_000_000n)).toBe('-3,000');
    // Beyond 2^53 base units: a float would lose the last digit.
    expect(formatCoins(9_007_199_254_740_993n)).toBe('90,071,992.54740993');
  });

  it('scales hashrates to three significant digits', () => {
    expect(formatHashrate(0)).toBe('0 H/s');
    expect(formatHashrate(Number.NaN)).toBe('0 H/s');
    expect(formatHashrate(999)).toBe('999 H/s');
    expect(formatHashrate(8000)).toBe('8.00 kH/s');
    expect(formatHashrate(15_340)).toBe('15.3 kH/s');
    expect(formatHashrate(2.5e9)).toBe('2.50 GH/s');
  });

  it('gives percentages with two decimals and 0 of nothing', () => {
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(3, 6)).toBe(50);
    expect(percentOf(5, 0)).toBe(0);
  });

  it('formats times in UTC and ages relative to now', () => {
    const at = new Date('2026-11-28T18:37:59.999Z');
    expect(formatUtc(at)).toBe('2026-11-28 18:37 UTC');
    expect(formatShortUtc(at)).toBe('11-28 18:37');
    const now = new Date('2026-11-28T20:00:00Z');
    expect(formatAge(new Date('2026-11-28T19:59:30Z'), now)).toBe('30 s ago');
    expect(formatAge(new Date('2026-11-28T19:30:00Z'), now)).toBe('30 min ago');
    expect(formatAge(new Date('2026-11-28T17:00:00Z'), now)).toBe('3 h ago');
    expect(formatAge(new Date('2026-11-20T20:00:00Z'), now)).toBe('8 d ago');
  });

  it('lists the last UTC days oldest first, across a month end', () => {
    const now = new Date('2026-12-02T00:30:00Z');
    expect(lastUtcDays(now, 3)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02']);
    expect(startOfUtcDays(now, 3).toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });
});
