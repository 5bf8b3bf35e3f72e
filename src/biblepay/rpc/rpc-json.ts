import { BaseUnits, baseToCoins, coinsToBase } from '../amount';

/**
 * JSON for the node, without ever passing an amount through a double.
 *
 * Node 20 has neither `JSON.rawJSON` nor the reviver's source text, and a double cannot hold
 * every 8-decimal amount from 2^26 coins on (see amount.ts). So answers are parsed here with
 * numbers kept as their text ({@link JsonNumberText}), and each call's decoder turns the numbers
 * it knows are amounts into exact base units; params carry amounts as {@link CoinsParam}, written
 * as bare decimal digits.
 */

/** A JSON number as the node wrote it. */
export class JsonNumberText {
  constructor(readonly text: string) {}
}

export type LosslessJson =
  null | boolean | string | JsonNumberText | LosslessJson[] | { [key: string]: LosslessJson };

/** Plain JSON after decoding: numbers are numbers, amounts are bigint base units. */
export type DecodedJson =
  null | boolean | string | number | bigint | DecodedJson[] | { [key: string]: DecodedJson };

/** An amount in a request, written as exact coin digits (e.g. `12.5`), never via a double. */
export class CoinsParam {
  readonly text: string;

  constructor(readonly units: BaseUnits) {
    this.text = baseToCoins(units);
  }
}

export type RpcParam =
  | null
  | boolean
  | string
  | number
  | CoinsParam
  | readonly RpcParam[]
  | { readonly [key: string]: RpcParam };

/** JSON text for a request; {@link CoinsParam} becomes a bare JSON number with its exact digits. */
export function stringifyRpcJson(value: RpcParam | Record<string, unknown>): string {
  if (value === null) return 'null';
  if (value instanceof CoinsParam) return value.text;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot send ${value} as JSON`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`cannot send a ${typeof value} as JSON`);
  }
  if (Array.isArray(value)) {
    return `[${(value as readonly RpcParam[]).map(stringifyRpcJson).join(',')}]`;
  }
  const members = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${stringifyRpcJson(v as RpcParam)}`);
  return `{${members.join(',')}}`;
}

export class JsonSyntaxError extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// Raw control characters are not allowed inside a JSON string, so the run stops at them.
// eslint-disable-next-line no-control-regex
const STRING_BODY = /[^"\\\u0000-\u001f]*/y;
const WHITESPACE = /[ \t\n\r]*/y;
// Far deeper than any node answer; stops a hostile body from overflowing the stack.
const MAX_DEPTH = 200;

/** Parses JSON text (RFC 8259) keeping every number as {@link JsonNumberText}. */
export function parseLosslessJson(text: string): LosslessJson {
  let at = 0;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${at}`);
  };
  const skipWhitespace = (): void => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const expectLiteral = <T>(literal: string, value: T): T => {
    if (!text.startsWith(literal, at)) fail('unexpected token');
    at += literal.length;
    return value;
  };

  const parseString = (): string => {
    const start = at;
    at += 1; // opening quote
    for (;;) {
      if (at >= text.length) fail('unterminated string');
      STRING_BODY.lastIndex = at;
      STRING_BODY.exec(text);
      at = STRING_BODY.lastIndex;
      const c = text[at];
      if (c === '"') break;
      if (c === '\\') {
        at += text[at + 1] === 'u' ? 6 : 2;
        continue;
      }
      fail(c === undefined ? 'unterminated string' : 'control character in string');
    }
    at += 1;
    // The slice is a complete, validated-by-shape JSON string: let the engine decode escapes.
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      return fail('bad escape in string');
    }
  };

  const parseValue = (depth: number): LosslessJson => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipWhitespace();
    const c = text[at];
    if (c === '{') {
      at += 1;
      const object: { [key: string]: LosslessJson } = {};
      skipWhitespace();
      if (text[at] === '}') {
        at += 1;
        return object;
      }
      for (;;) {
        skipWhitespace();
        if (text[at] !== '"') fail('expected a member name');
        const key = parseString();
        skipWhitespace();
        if (text[at] !== ':') fail("expected ':'");
        at += 1;
        // defineProperty: a member named "__proto__" stays data, as with JSON.parse.
        Object.defineProperty(object, key, {
          value: parseValue(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        skipWhitespace();
        if (text[at] === ',') {
          at += 1;
          continue;
        }
        if (text[at] === '}') {
          at += 1;
          return object;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      at += 1;
      const array: LosslessJson[] = [];
      skipWhitespace();
      if (text[at] === ']') {
        at += 1;
        return array;
      }
      for (;;) {
        array.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[at] === ',') {
          at += 1;
          continue;
        }
        if (text[at] === ']') {
          at += 1;
          return array;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return parseString();
    if (c === 't') return expectLiteral('true', true);
    if (c === 'f') return expectLiteral('false', false);
    if (c === 'n') return expectLiteral('null', null);
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (number === null) return fail(c === undefined ? 'unexpected end' : 'unexpected token');
    at = NUMBER.lastIndex;
    return new JsonNumberText(number[0]);
  };

  const value = parseValue(0);
  skipWhitespace();
  if (at !== text.length) fail('unexpected text after the value');
  return value;
}

/**
 * Turns lossless JSON into plain values: a number directly under a member named in `amountKeys`
 * (or inside an array there) becomes exact base units, every other number a JS number.
 */
export function decodeJson(
  value: LosslessJson,
  amountKeys: ReadonlySet<string>,
  /** The answer itself is an amount (`getbalance`). */
  resultIsAmount = false,
): DecodedJson {
  return decodeUnder(value, amountKeys, resultIsAmount);
}

function decodeUnder(
  value: LosslessJson,
  amountKeys: ReadonlySet<string>,
  isAmount: boolean,
): DecodedJson {
  if (value instanceof JsonNumberText) {
    return isAmount ? coinsToBase(value.text) : Number(value.text);
  }
  if (Array.isArray(value)) return value.map((item) => decodeUnder(item, amountKeys, isAmount));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: DecodedJson } = {};
    for (const [key, member] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: decodeUnder(member, amountKeys, amountKeys.has(key)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
