import {
  CoinsParam,
  JsonNumberText,
  JsonSyntaxError,
  decodeJson,
  parseLosslessJson,
  stringifyRpcJson,
} from './rpc-json';

describe('parseLosslessJson', () => {
  it('keeps every number as the text the node wrote', () => {
    const parsed = parseLosslessJson('{"balance":100000000.00000002,"n":[1,-2.5e3]}');
    expect(parsed).toEqual({
      balance: new JsonNumberText('100000000.00000002'),
      n: [new JsonNumberText('1'), new JsonNumberText('-2.5e3')],
    });
  });

  it('parses everything JSON.parse does, to the same values once numbers are read', () => {
    const samples = [
      '{"a":[true,false,null,"x\\"y\\\\z\\u00e9\\n"],"b":{},"c":[],"d":""}',
      ' [ 0 , -0 , 1.5 , {"nested":{"deep":[[[]]]}} ] ',
      '"\\ud83d\\ude00 ok"',
      '{"__proto__":1}',
    ];
    for (const text of samples) {
      const lossless = decodeJson(parseLosslessJson(text), new Set());
      expect(lossless).toEqual(JSON.parse(text));
    }
  });

  it('keeps a member named __proto__ as data, as JSON.parse does', () => {
    const decoded = decodeJson(parseLosslessJson('{"__proto__":{"polluted":true}}'), new Set());
    expect(Object.keys(decoded as object)).toEqual(['__proto__']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('rejects what JSON.parse rejects', () => {
    const bad = [
      '',
      '{',
      '[1,]',
      '{"a":1,}',
      '01',
      '1.',
      '.5',
      '+1',
      'NaN',
      "'x'",
      '"unterminated',
      '"bad \\x escape"',
      '"tab\tinside"',
      '"\\u12"',
      '{"a" 1}',
      '[1] x',
      'tru',
    ];
    for (const text of bad) {
      expect(() => JSON.parse(text) as unknown).toThrow();
      expect(() => parseLosslessJson(text)).toThrow(JsonSyntaxError);
    }
  });

  it('refuses absurdly deep nesting instead of overflowing the stack', () => {
    expect(() => parseLosslessJson('['.repeat(10_000) + ']'.repeat(10_000))).toThrow(/too deep/);
  });
});

describe('decodeJson', () => {
  it('turns numbers under amount members into exact base units, others into numbers', () => {
    const parsed = parseLosslessJson(
      '{"amount":-100000000.00000002,"fee":-0.0001,"confirmations":7,' +
        '"details":[{"amount":0.1,"vout":1}],"list":{"amount":[1,2]}}',
    );
    expect(decodeJson(parsed, new Set(['amount', 'fee']))).toEqual({
      amount: -10_000_000_000_000_002n,
      fee: -10_000n,
      confirmations: 7,
      details: [{ amount: 10_000_000n, vout: 1 }],
      list: { amount: [100_000_000n, 200_000_000n] },
    });
  });

  it('throws on an amount with more than 8 decimals', () => {
    expect(() =>
      decodeJson(parseLosslessJson('{"amount":0.000000001}'), new Set(['amount'])),
    ).toThrow(RangeError);
  });
});

describe('stringifyRpcJson', () => {
  it('writes amounts as bare decimal digits, exact beyond what a double holds', () => {
    const text = stringifyRpcJson([
      '',
      { BAddr1: new CoinsParam(10_000_000_000_000_002n), BAddr2: new CoinsParam(1n) },
      1,
      'pay "run" 5',
      [],
      true,
      null,
    ]);
    expect(text).toBe(
      '["",{"BAddr1":100000000.00000002,"BAddr2":0.00000001},1,"pay \\"run\\" 5",[],true,null]',
    );
  });

  it('matches JSON.stringify for plain values', () => {
    const value = { jsonrpc: '1.0', id: 3, method: 'exec', params: ['biblehash', 'ab', '12'] };
    expect(stringifyRpcJson(value)).toBe(JSON.stringify(value));
  });

  it('refuses NaN and Infinity instead of sending null', () => {
    expect(() => stringifyRpcJson([NaN])).toThrow(TypeError);
    expect(() => stringifyRpcJson([Infinity])).toThrow(TypeError);
  });
});
