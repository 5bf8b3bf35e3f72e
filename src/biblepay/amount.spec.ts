import {
  BASE_UNITS_PER_COIN,
  MAX_EXACT_NUMBER_COINS,
  baseToCoins,
  baseToCoinsNumber,
  coinsToBase,
  parseCoins,
} from './amount';

describe('coinsToBase', () => {
  it('reads what a node sends exactly, including amounts a float would round', () => {
    expect(coinsToBase(12.5)).toBe(1_250_000_000n);
    expect(coinsToBase(0.1)).toBe(10_000_000n);
    expect(coinsToBase(0.00000001)).toBe(1n);
    expect(coinsToBase(1e-8)).toBe(1n);
    // 0.29 * 1e8 is 28999999.999999996 as floats; the amount is 29000000 units.
    expect(coinsToBase(0.29)).toBe(29_000_000n);
    expect(coinsToBase(1.15)).toBe(115_000_000n);
    expect(coinsToBase(4.35)).toBe(435_000_000n);
  });

  it('sums 0.1 and 0.2 to exactly 0.3 in base units', () => {
    expect(coinsToBase(0.1) + coinsToBase(0.2)).toBe(coinsToBase(0.3));
    expect(coinsToBase('0.1') + coinsToBase('0.2')).toBe(30_000_000n);
  });

  it('refuses the float sum 0.1 + 0.2, whose shortest form has 17 decimals', () => {
    expect(() => coinsToBase(0.1 + 0.2)).toThrow(/more than 8 decimals/);
  });

  it('keeps the sign of negative amounts (sends show as negative in wallet history)', () => {
    expect(coinsToBase(-3)).toBe(-300_000_000n);
    expect(coinsToBase(-0.00000001)).toBe(-1n);
    expect(coinsToBase('-12.34567891')).toBe(-1_234_567_891n);
    expect(coinsToBase(-0)).toBe(0n);
  });

  it('is exact for 21 million coins with all 8 decimals, as number and as text', () => {
    expect(coinsToBase(21_000_000)).toBe(2_100_000_000_000_000n);
    expect(coinsToBase(21000000.12345678)).toBe(2_100_000_012_345_678n);
    expect(coinsToBase(20999999.99999999)).toBe(2_099_999_999_999_999n);
    expect(coinsToBase('21000000.12345678')).toBe(2_100_000_012_345_678n);
  });

  it('is exact for the largest number amount it accepts, one unit below 2^26 coins', () => {
    expect(coinsToBase(67108863.99999999)).toBe(6_710_886_399_999_999n);
  });

  it('reads back every sampled 8-decimal amount below 2^26 coins from its parsed JSON number', () => {
    const limit = BigInt(MAX_EXACT_NUMBER_COINS) * BASE_UNITS_PER_COIN;
    const samples = [limit - 1n, limit - 2n, 1n, 3n, 7n];
    // Dense near the top of the range, where doubles are sparsest, plus spread samples.
    for (let i = 0n; i < 2000n; i++) samples.push(limit - 1n - i * 37n);
    let seed = 20181225n; // fixed LCG so a failure reproduces
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      samples.push(seed % limit);
    }
    for (const units of samples) {
      const parsed = JSON.parse(baseToCoins(units)) as number;
      expect(coinsToBase(parsed)).toBe(units);
      expect(baseToCoinsNumber(units)).toBe(parsed);
    }
  });

  it('refuses numbers from 2^26 coins on, where a double can no longer hold 8 decimals', () => {
    // Both texts parse to the same double: a number cannot tell them apart.
    expect(JSON.parse('100000000.00000002')).toBe(JSON.parse('100000000.00000001'));
    expect(() => coinsToBase(JSON.parse('100000000.00000002') as number)).toThrow(/decimal text/);
    expect(() => coinsToBase(MAX_EXACT_NUMBER_COINS)).toThrow(/decimal text/);
    expect(() => coinsToBase(-1e9)).toThrow(/decimal text/);
  });

  it('reads large amounts exactly from decimal text', () => {
    expect(coinsToBase('100000000.00000001')).toBe(10_000_000_000_000_001n);
    expect(coinsToBase('5200000000.12345678')).toBe(520_000_000_012_345_678n);
  });

  it('accepts exponent notation as JSON and String(number) write it', () => {
    expect(coinsToBase(1e-7)).toBe(10n); // String(1e-7) === '1e-7'
    expect(coinsToBase('1.5E+3')).toBe(150_000_000_000n);
    expect(coinsToBase('12345e-8')).toBe(12_345n);
    expect(coinsToBase('12.50000000')).toBe(1_250_000_000n);
    expect(coinsToBase('1.000000000000')).toBe(BASE_UNITS_PER_COIN);
  });

  it('refuses more than 8 decimals, even by one unit of a ninth decimal', () => {
    expect(() => coinsToBase(0.000000001)).toThrow(/more than 8 decimals/);
    expect(() => coinsToBase('0.123456789')).toThrow(/more than 8 decimals/);
    expect(() => coinsToBase('1e-9')).toThrow(/more than 8 decimals/);
  });

  it('refuses NaN, Infinity and text that is not a number', () => {
    expect(() => coinsToBase(NaN)).toThrow(RangeError);
    expect(() => coinsToBase(Infinity)).toThrow(RangeError);
    expect(() => coinsToBase(-Infinity)).toThrow(RangeError);
    for (const bad of ['', 'abc', '1,5', '0x10', '1e', '--1', '1.2.3', 'NaN', '1e99999']) {
      expect(() => coinsToBase(bad)).toThrow(RangeError);
    }
  });
});

describe('baseToCoins', () => {
  it('writes coins without trailing zeros and with the sign', () => {
    expect(baseToCoins(1_250_000_000n)).toBe('12.5');
    expect(baseToCoins(1n)).toBe('0.00000001');
    expect(baseToCoins(-300_000_000n)).toBe('-3');
    expect(baseToCoins(-1n)).toBe('-0.00000001');
    expect(baseToCoins(0n)).toBe('0');
    expect(baseToCoins(2_100_000_012_345_678n)).toBe('21000000.12345678');
    expect(baseToCoins(10_000_000_000_000_001n)).toBe('100000000.00000001');
  });

  it('round-trips with coinsToBase and parseCoins', () => {
    for (const units of [0n, 1n, -1n, 99_999_999n, 100_000_000n, 123_456_789_012_345_678n]) {
      expect(coinsToBase(baseToCoins(units))).toBe(units);
      expect(parseCoins(baseToCoins(units))).toBe(units);
    }
  });
});

describe('baseToCoinsNumber', () => {
  it('gives a number whose JSON text is exactly the decimal amount', () => {
    expect(baseToCoinsNumber(1_250_000_000n)).toBe(12.5);
    expect(JSON.stringify(baseToCoinsNumber(30_000_000n))).toBe('0.3');
    expect(JSON.stringify(baseToCoinsNumber(2_100_000_012_345_678n))).toBe('21000000.12345678');
    expect(baseToCoinsNumber(-1n)).toBe(-0.00000001);
    expect(baseToCoinsNumber(10_000_000_000_000_000n)).toBe(100_000_000);
  });

  it('throws when no double prints as the amount (a fraction beyond 2^26 coins)', () => {
    expect(() => baseToCoinsNumber(10_000_000_000_000_002n)).toThrow(/cannot be written exactly/);
  });
});

describe('parseCoins', () => {
  it('reads operator config amounts', () => {
    expect(parseCoins('0.5')).toBe(50_000_000n);
    expect(parseCoins(' 12 ')).toBe(1_200_000_000n);
    expect(parseCoins('+1.00000001')).toBe(100_000_001n);
    expect(parseCoins('-3.25')).toBe(-325_000_000n);
    expect(parseCoins('5200000000')).toBe(520_000_000_000_000_000n);
  });

  it('refuses exponents, empty text, stray characters and more than 8 decimals', () => {
    for (const bad of ['', ' ', '1e3', '.5', '5.', '0,5', '1 000', 'BBP 1', '0.000000001']) {
      expect(() => parseCoins(bad)).toThrow(RangeError);
    }
  });
});
