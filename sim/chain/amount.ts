/**
 * Exact money for the simulators: integer base units (1 BBP = 100,000,000) as bigint, coins only
 * as decimal text at the JSON edge. The node prints amounts the way bitcoin-family nodes do
 * (`ValueFromAmount`: a JSON number with exactly 8 decimals) and reads them the way they do
 * (`AmountFromValue`: a JSON number or a string, at most 8 decimals, within the money range).
 */
export const COIN = 100_000_000n;
export const COIN_DECIMALS = 8;
/** BiblePay's money range: 5.2 billion coins. */
export const MAX_MONEY = 5_200_000_000n * COIN;

const NUMBER_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

export class AmountError extends Error {}

/** "12.50000000" for 1250000000n; negative amounts keep their sign ("-0.01000000"). */
export function formatCoins(units: bigint): string {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const whole = magnitude / COIN;
  const fraction = (magnitude % COIN).toString().padStart(COIN_DECIMALS, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/**
 * Base units from a coin amount given as decimal text ("12.5", "1e-8") or as a JSON number.
 * A number is read through its shortest decimal form, which gives back the literal a client wrote
 * while the amount has at most 15 significant digits (any 8-decimal amount below ~10^7 coins, and
 * every amount a sane payout uses); text is always exact. Throws {@link AmountError} on garbage or
 * on more than 8 decimals.
 */
export function parseCoins(value: string | number): bigint {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AmountError('Invalid amount');
    text = String(value);
  } else {
    text = value.trim();
  }
  const match = NUMBER_TEXT.exec(text);
  if (!match) throw new AmountError('Invalid amount');
  const [, sign, intDigits = '', fracDigits = '', exponentText = '0'] = match;
  if (intDigits === '' && fracDigits === '') throw new AmountError('Invalid amount');
  const digits = (intDigits + fracDigits).replace(/^0+(?=\d)/, '');
  // Power of ten of the last digit in `digits`, counted in base units (10^-8 coin).
  const scale = Number(exponentText) - fracDigits.length + COIN_DECIMALS;
  let units: bigint;
  if (scale >= 0) {
    if (scale > 40) throw new AmountError('Amount out of range');
    units = BigInt(digits) * 10n ** BigInt(scale);
  } else {
    const cut = -scale;
    const kept = digits.length > cut ? digits.slice(0, digits.length - cut) : '0';
    const dropped = digits.slice(Math.max(0, digits.length - cut));
    if (/[1-9]/.test(dropped)) throw new AmountError('Invalid amount');
    units = BigInt(kept);
  }
  return sign === '-' ? -units : units;
}

/** A whole-coin integer as the node reports `subsidy` (`nValue / COIN`, truncated). */
export function wholeCoins(units: bigint): bigint {
  return units / COIN;
}
