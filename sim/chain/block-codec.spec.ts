import { decodeBlockHeader } from '../../src/biblepay/block-header';
import { randomAddress } from '../../src/biblepay/address';
import { formatCoins, parseCoins } from './amount';
import {
  assembleBlock,
  buildBlockMessage,
  decodeBlock,
  decodeCoinbaseTx,
  encodeBlock,
  encodeCoinbaseTx,
  SimCoinbaseTx,
  SimDecodeError,
} from './block-codec';
import { bibleHash, hashMeetsTarget } from './hash';
import { Coins, toJsonText } from './json-text';

function coinbase(overrides: Partial<SimCoinbaseTx> = {}): SimCoinbaseTx {
  const cpid = {
    cpid: 'abc',
    signature: 'sig',
    signatureValid: true,
    legal: true,
    legalityNarr: '',
  };
  return {
    version: 1,
    height: 101,
    extraNonce: 0,
    outputs: [
      {
        address: randomAddress('main'),
        value: parseCoins('5492.75'),
        message: buildBlockMessage({ walletVersion: '1.1.9.3', minerGuid: 'guid-1', cpid }),
      },
    ],
    cpid,
    ...overrides,
  };
}

const header = {
  version: 536870912,
  prevHash: 'ab'.repeat(32),
  prevHeight: 100,
  time: 1_700_000_100,
  prevTime: 1_700_000_000,
  nonce: 42,
};

describe('simulated block and coinbase hex', () => {
  it('round-trips a block with its coinbase, CPID fields and filler', () => {
    const built = assembleBlock({ header, coinbase: coinbase(), filler: 'ff'.repeat(10) });
    const decoded = decodeBlock(encodeBlock(built));
    expect(decoded.hash).toBe(built.hash);
    expect(decoded.header).toEqual(header);
    expect(decoded.coinbase).toEqual(built.coinbase);
    expect(decoded.txid).toBe(built.txid);
    expect(decoded.filler).toBe('ff'.repeat(10));
  });

  it('round-trips an old-node coinbase that has no CPID fields', () => {
    const tx = coinbase({ cpid: undefined });
    const decoded = decodeCoinbaseTx(encodeCoinbaseTx(tx));
    expect(decoded.cpid).toBeUndefined();
    expect(decoded.outputs[0].value).toBe(parseCoins('5492.75'));
  });

  it('changes the block hash when the coinbase changes (the txid is part of the header hash)', () => {
    const a = assembleBlock({ header, coinbase: coinbase() });
    const b = assembleBlock({ header, coinbase: { ...coinbase(), extraNonce: 1 } });
    expect(a.hash).not.toBe(b.hash);
  });

  it('refuses hex that is not hex, not a simulated block, or whose coinbase is not its merkle root', () => {
    expect(() => decodeBlock('zz')).toThrow(SimDecodeError);
    expect(() => decodeBlock('')).toThrow(SimDecodeError);
    expect(() => decodeBlock('00112233')).toThrow(SimDecodeError);
    const built = assembleBlock({ header, coinbase: coinbase() });
    const paid = { ...built.coinbase.outputs[0], address: 'someone else' };
    const tampered = encodeBlock({ ...built, coinbase: { ...built.coinbase, outputs: [paid] } });
    expect(() => decodeBlock(tampered)).toThrow(/merkle root does not match/);
    expect(() => decodeBlock(encodeCoinbaseTx(coinbase()))).toThrow(/not a simulated block/);
  });

  it('computes the honest bible hash from hash, times, previous height and nonce', () => {
    const built = assembleBlock({ header, coinbase: coinbase() });
    expect(built.bibleHash).toBe(
      bibleHash({
        blockHash: built.hash,
        blockTime: header.time,
        prevBlockTime: header.prevTime,
        prevHeight: header.prevHeight,
        nonce: header.nonce,
      }),
    );
  });
});

it('starts every block with the real 80-byte header: prev hash, merkle root = txid, time, nonce', () => {
  const built = assembleBlock({ header, coinbase: coinbase() });
  const decoded = decodeBlockHeader(encodeBlock(built));
  expect(decoded).toMatchObject({
    version: header.version,
    prevHash: header.prevHash,
    merkleRoot: built.txid,
    time: header.time,
    nonce: header.nonce,
  });
});

describe('bible hash stand-in', () => {
  const input = {
    blockHash: 'ab'.repeat(32),
    blockTime: 2,
    prevBlockTime: 1,
    prevHeight: 7,
    nonce: 9,
  };

  it('is deterministic 64 hex and depends on every input', () => {
    const hash = bibleHash(input);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(bibleHash({ ...input })).toBe(hash);
    for (const changed of [
      { ...input, blockHash: 'cd'.repeat(32) },
      { ...input, blockTime: 3 },
      { ...input, prevBlockTime: 2 },
      { ...input, prevHeight: 8 },
      { ...input, nonce: 10 },
    ]) {
      expect(bibleHash(changed)).not.toBe(hash);
    }
  });

  it('does not let two inputs share a preimage by shifting digits between fields', () => {
    expect(bibleHash({ ...input, blockTime: 12, prevBlockTime: 3 })).not.toBe(
      bibleHash({ ...input, blockTime: 1, prevBlockTime: 23 }),
    );
  });

  it('meets a target inclusively, as the wallet compares', () => {
    expect(hashMeetsTarget('00ff' + '0'.repeat(60), '00ff' + '0'.repeat(60))).toBe(true);
    expect(hashMeetsTarget('00ff' + '0'.repeat(59) + '1', '00ff' + '0'.repeat(60))).toBe(false);
  });
});

describe('exact coin amounts', () => {
  it('parses text and numbers into base units without floating point', () => {
    expect(parseCoins('0.1')).toBe(10_000_000n);
    expect(parseCoins(0.1)).toBe(10_000_000n);
    expect(parseCoins('1e-8')).toBe(1n);
    expect(parseCoins(1234567.12345678)).toBe(123456712345678n);
    expect(parseCoins('-2.5')).toBe(-250_000_000n);
    expect(() => parseCoins('0.000000001')).toThrow('Invalid amount');
    expect(() => parseCoins('abc')).toThrow('Invalid amount');
    expect(() => parseCoins(Number.NaN)).toThrow('Invalid amount');
  });

  it('writes amounts as JSON numbers with exactly 8 decimals', () => {
    expect(formatCoins(1n)).toBe('0.00000001');
    expect(formatCoins(-100_000n)).toBe('-0.00100000');
    expect(toJsonText({ a: new Coins(549275000000n), b: 5n, c: undefined, d: [1, 'x'] })).toBe(
      '{"a":5492.75000000,"b":5,"d":[1,"x"]}',
    );
    const huge = 4_999_999_999_99999999n;
    expect(toJsonText(new Coins(huge))).toBe('4999999999.99999999');
  });
});
