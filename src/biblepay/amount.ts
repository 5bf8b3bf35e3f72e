/**
 * Money in integer base units: 1 BBP = 100,000,000 units, the node's own `CAmount`. Amounts are
 * held as `bigint` everywhere inside the pool and converted to coins only at the edges (RPC
 * params and results, pages, operator config). No conversion here ever multiplies a float.
 */
export type BaseUnits = bigint;

export const COIN_DECIMALS = 8;
export const BASE_UNITS_PER_COIN: BaseUnits = 100_000_000n;

/**
 * Largest magnitude, in coins, below which a JSON number can carry any 8-decimal amount exactly.
 * Below 2^26 coins the gap between neighbouring doubles is under 1e-8 (2^-27 at most), so each
 * 8-decimal value has its own double and its shortest decimal form gives the value back. From
 * 2^26 coins on, two amounts one unit apart can land on the same double (100000000.00000001 and
 * 100000000.00000002 parse to the same number), so a number there may already be wrong and is
 * refused.
 */
export const MAX_EXACT_NUMBER_COINS = 2 ** 26;

// A JSON number, plus a leading "+" and a bare trailing "." that some printers emit.
const NUMBER_TEXT = /^([+-])?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
// Operator config: plain decimal only, no exponent.
const PLAIN_DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;
// Exponents beyond this cannot describe a money amount and would make us build huge strings.
const MAX_EXPONENT_DIGITS = 3;

/**
 * Base units from a coin amount the node sent. A string is read digit by digit (the exact way,
 * used by the RPC client, which keeps numbers as their JSON text). A number goes through its
 * shortest decimal form, which is exact for what a node prints (≤ 8 decimals) while the amount
 * is below {@link MAX_EXACT_NUMBER_COINS}; larger numbers are refused rather than guessed.
 * Throws on NaN, Infinity, more than 8 decimals, and text that is not a number.
 */
export function coinsToBase(value: number | string): BaseUnits {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a coin amount: ${value}`);
    if (Math.abs(value) >= MAX_EXACT_NUMBER_COINS) {
      throw new RangeError(
        `${value} coins is too large to be exact as a number; pass the amount as decimal text`,
      );
    }
    // String(number) is the shortest text that reads back as the same double.
    return decimalTextToBase(String(value), NUMBER_TEXT, String(value));
  }
  return decimalTextToBase(value.trim(), NUMBER_TEXT, value);
}

/** Base units from operator text such as "0.5", "12", "-3.25000000". No exponent, ≤ 8 decimals. */
export function parseCoins(text: string): BaseUnits {
  return decimalTextToBase(text.trim(), PLAIN_DECIMAL, text);
}

/** Coins as a decimal string without trailing zeros: 1250000000n → "12.5", 1n → "0.00000001". */
export function baseToCoins(units: BaseUnits): string {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const whole = magnitude / BASE_UNITS_PER_COIN;
  const fraction = (magnitude % BASE_UNITS_PER_COIN)
    .toString()
    .padStart(COIN_DECIMALS, '0')
    .replace(/0+$/, '');
  const text = fraction === '' ? whole.toString() : `${whole}.${fraction}`;
  return negative ? `-${text}` : text;
}

/**
 * Coins as a JS number whose shortest decimal form is exactly {@link baseToCoins}, so that
 * `JSON.stringify` writes the same digits the amount has. Throws when no double prints that way
 * (possible from 2^26 coins on, when the amount has a fraction).
 */
export function baseToCoinsNumber(units: BaseUnits): number {
  const text = baseToCoins(units);
  const value = Number(text);
  if (!Number.isFinite(value) || decimalTextToBase(String(value), NUMBER_TEXT, text) !== units) {
    throw new RangeError(`${text} coins cannot be written exactly as a JSON number`);
  }
  return value;
}

function decimalTextToBase(text: string, grammar: RegExp, original: string): BaseUnits {
  const match = grammar.exec(text);
  if (!match) throw new RangeError(`not a coin amount: ${JSON.stringify(original)}`);
  const [, sign, intDigits, fracDigits = '', exponentText = '0'] = match;
  if (exponentText.replace(/^[+-]/, '').replace(/^0+/, '').length > MAX_EXPONENT_DIGITS) {
    throw new RangeError(`not a coin amount: ${JSON.stringify(original)}`);
  }
  const exponent = Number(exponentText);
  const digits = intDigits + fracDigits;
  // Position of the decimal point inside `digits` once the exponent is applied.
  const point = intDigits.length + exponent;

  let wholePart: string;
  let fractionPart: string;
  if (point <= 0) {
    wholePart = '0';
    fractionPart = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    wholePart = digits + '0'.repeat(point - digits.length);
    fractionPart = '';
  } else {
    wholePart = digits.slice(0, point);
    fractionPart = digits.slice(point);
  }
  fractionPart = fractionPart.replace(/0+$/, '');
  if (fractionPart.length > COIN_DECIMALS) {
    throw new RangeError(
      `${JSON.stringify(original)} has more than ${COIN_DECIMALS} decimals; a coin amount cannot`,
    );
  }
  const units =
    BigInt(wholePart) * BASE_UNITS_PER_COIN + BigInt(fractionPart.padEnd(COIN_DECIMALS, '0'));
  return sign === '-' ? -units : units;
}
