/**
 * JSON that keeps the types the web reads hold: amounts are `bigint` base units and times are
 * `Date`s, and plain JSON turns the first into an error and the second into a string. Each is
 * written as `{"$type": "bigint" | "date", "value": text}`. Keys of our own that start with `$`
 * get one more `$` on the way in and lose it on the way out, so no object is misread as a tag.
 * Used for the shared cache store (Redis), where every value crosses the wire as text.
 */
const TAG = '$type';

type Tagged = { [TAG]: 'bigint' | 'date'; value: string | null };

export function stringifyTagged(data: unknown): string {
  return JSON.stringify(data, function (this: Record<string, unknown>, key, value: unknown) {
    // `this[key]` is the value before toJSON: a Date still is a Date here.
    const original = this[key];
    if (typeof original === 'bigint') return tag('bigint', original.toString());
    if (original instanceof Date) {
      return tag('date', Number.isNaN(original.getTime()) ? null : original.toISOString());
    }
    if (original instanceof Map || original instanceof Set) {
      throw new TypeError(`cannot cache a ${original.constructor.name} (key "${key}")`);
    }
    if (isPlainObject(value) && Object.keys(value).some(isEscaped))
      return mapKeys(value, (k) => (isEscaped(k) ? `$${k}` : k));
    return value;
  });
}

export function parseTagged<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (isTagged(value)) {
      if (value[TAG] === 'bigint') return BigInt(value.value ?? '');
      return new Date(value.value ?? Number.NaN);
    }
    if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$$'))) {
      return mapKeys(value, (k) => (k.startsWith('$$') ? k.slice(1) : k));
    }
    return value;
  }) as T;
}

function tag(type: Tagged[typeof TAG], value: string | null): Tagged {
  return { [TAG]: type, value };
}

const isEscaped = (key: string): boolean => key.startsWith('$');

function mapKeys(
  value: Record<string, unknown>,
  rename: (key: string) => string,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), v]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTagged(value: unknown): value is Tagged {
  if (!isPlainObject(value) || !(TAG in value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 2 &&
    (typeof value.value === 'string' || value.value === null) &&
    (value[TAG] === 'bigint' || value[TAG] === 'date')
  );
}
