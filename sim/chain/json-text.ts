import { formatCoins } from './amount';

/** A coin amount that {@link toJsonText} writes as a JSON number with exactly 8 decimals. */
export class Coins {
  constructor(readonly units: bigint) {}
}

/**
 * JSON text for a reply, like `JSON.stringify` but exact for money: a {@link Coins} becomes a
 * number with 8 decimals written from its bigint digits, a bare bigint becomes an integer number.
 * Nothing passes through a double, so no amount is ever rounded on the way out.
 * Object members that are `undefined` are left out, as `JSON.stringify` does.
 */
export function toJsonText(value: unknown): string {
  if (value instanceof Coins) return formatCoins(value.units);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : toJsonText(item))).join(',')}]`;
  }
  if (typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => `${JSON.stringify(key)}:${toJsonText(member)}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`cannot write ${typeof value} as JSON`);
}
