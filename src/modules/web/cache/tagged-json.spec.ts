import { parseTagged, stringifyTagged } from './tagged-json';

describe('tagged JSON (the shared cache store’s text)', () => {
  it('round-trips bigint and Date at any depth, and plain JSON unchanged', () => {
    const value = { a: [1n, { at: new Date(1_700_000_000_000) }], b: 'x', c: null, d: 1.5 };
    const back = parseTagged<typeof value>(stringifyTagged(value));
    expect(back).toEqual(value);
    expect(parseTagged(stringifyTagged(12n))).toBe(12n);
    expect(parseTagged<Date>(stringifyTagged(new Date(5))).getTime()).toBe(5);
    expect(stringifyTagged({ b: 'x', n: [1, 2] })).toBe('{"b":"x","n":[1,2]}');
  });

  it('keeps an invalid Date invalid', () => {
    expect(parseTagged<Date>(stringifyTagged(new Date(Number.NaN))).getTime()).toBeNaN();
  });

  it('refuses what it cannot bring back (Map, Set) instead of caching an empty object', () => {
    expect(() => stringifyTagged({ m: new Map() })).toThrow('cannot cache a Map');
    expect(() => stringifyTagged({ s: new Set() })).toThrow('cannot cache a Set');
  });
});
