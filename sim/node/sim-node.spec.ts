import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidAddress, randomAddress } from '../../src/biblepay/address';
import { parseCoins } from '../chain/amount';
import {
  assembleBlock,
  buildBlockMessage,
  encodeBlock,
  encodeCoinbaseTx,
  SimCoinbaseTx,
} from '../chain/block-codec';
import { bibleHash } from '../chain/hash';
import { postJson, rpcCall, SimRpcError } from './rpc-client';
import { SimNodeHandle, SimNodeOptions, startSimNode } from './sim-node';

const quiet = { log: () => undefined };

/** A block on the node's tip with this header time and nonce, paying one random address. */
function blockOnTip(node: SimNodeHandle, time: number, nonce: number): string {
  const tip = node.chain.tip;
  return encodeBlock(
    assembleBlock({
      header: {
        version: 1,
        prevHash: tip.hash,
        prevHeight: tip.height,
        time,
        prevTime: tip.header.time,
        nonce,
      },
      coinbase: {
        version: 1,
        height: tip.height + 1,
        extraNonce: 0,
        outputs: [{ address: randomAddress('main'), value: 1n, message: '' }],
      },
    }),
  );
}
const COIN = 100_000_000n;

/** Base units of an amount field as the node wrote it (read from the raw reply text, not a double). */
function amountIn(text: string, field: string): bigint {
  const match = new RegExp(`"${field}":(-?\\d+\\.\\d{8})`).exec(text);
  if (!match) throw new Error(`no ${field} with 8 decimals in ${text}`);
  return parseCoins(match[1]);
}

async function rpcError(promise: Promise<unknown>): Promise<SimRpcError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SimRpcError) return error;
    throw error;
  }
  throw new Error('call succeeded, an RPC error was expected');
}

describe('simulated BiblePay node', () => {
  let node: SimNodeHandle;
  const start = async (options: Partial<SimNodeOptions> = {}): Promise<SimNodeHandle> => {
    node = await startSimNode({ port: 0, blockSeconds: 0, startHeight: 10, ...quiet, ...options });
    return node;
  };
  const call = <T = unknown>(method: string, ...params: unknown[]): Promise<T> =>
    rpcCall<T>(node.url, method, params);

  afterEach(async () => {
    await node?.close();
  });

  describe('JSON-RPC transport', () => {
    it('refuses bad basic-auth credentials with HTTP 401 and an empty body', async () => {
      await start();
      const wrong = node.url.replace('simpass', 'wrong');
      const response = await postJson(wrong, { method: 'getblockcount', params: [], id: 1 });
      expect(response.status).toBe(401);
      expect(response.text).toBe('');
      const none = await postJson(node.url.replace('simuser:simpass@', ''), {
        method: 'getblockcount',
        id: 1,
      });
      expect(none.status).toBe(401);
    });

    it('answers a JSON array with an array of replies, each with its own result or error', async () => {
      await start();
      const response = await postJson(node.url, [
        { method: 'getblockcount', params: [], id: 'a' },
        { method: 'nosuchmethod', params: [], id: 'b' },
        { method: 'getblockhash', params: [0], id: 'c' },
      ]);
      expect(response.status).toBe(200);
      const replies = JSON.parse(response.text);
      expect(replies).toEqual([
        { result: 10, error: null, id: 'a' },
        { result: null, error: { code: -32601, message: 'Method not found' }, id: 'b' },
        { result: node.chain.at(0)!.hash, error: null, id: 'c' },
      ]);
    });

    it('answers an unknown method with error -32601 in the real error shape (HTTP 404)', async () => {
      await start();
      const response = await postJson(node.url, { method: 'getmininginfo2', params: [], id: 7 });
      expect(response.status).toBe(404);
      expect(JSON.parse(response.text)).toEqual({
        result: null,
        error: { code: -32601, message: 'Method not found' },
        id: 7,
      });
    });

    it('answers other errors with HTTP 500 and the JSON error body', async () => {
      await start();
      const response = await postJson(node.url, { method: 'getblockhash', params: [999], id: 1 });
      expect(response.status).toBe(500);
      expect(JSON.parse(response.text).error).toEqual({
        code: -8,
        message: 'Block height out of range',
      });
    });
  });

  describe('exec', () => {
    it('biblehash is deterministic and is the shared stand-in over the five inputs', async () => {
      await start();
      const args = ['ab'.repeat(32), '1700000100', '1700000000', '100', '42'];
      const first = await call<{ Command: string; BibleHash: string }>(
        'exec',
        'biblehash',
        ...args,
      );
      const again = await call<{ BibleHash: string }>('exec', 'biblehash', ...args);
      expect(first.Command).toBe('biblehash');
      expect(first.BibleHash).toMatch(/^[0-9a-f]{64}$/);
      expect(again.BibleHash).toBe(first.BibleHash);
      expect(first.BibleHash).toBe(
        bibleHash({
          blockHash: 'ab'.repeat(32),
          blockTime: 1700000100,
          prevBlockTime: 1700000000,
          prevHeight: 100,
          nonce: 42,
        }),
      );
      const other = await call<{ BibleHash: string }>(
        'exec',
        'biblehash',
        ...args.slice(0, 4),
        '43',
      );
      expect(other.BibleHash).not.toBe(first.BibleHash);
      // Like the node: unusable inputs give only the Command; non-string arguments are a type error.
      await expect(
        call('exec', 'biblehash', args[0], '0', args[2], args[3], args[4]),
      ).resolves.toEqual({
        Command: 'biblehash',
      });
      expect(
        (await rpcError(call('exec', 'biblehash', args[0], 1700000100, args[2], args[3], args[4])))
          .code,
      ).toBe(-1);
    });

    it('hexblocktocoinbase decodes what the miner built: recipient, whole-coin subsidy, bible hash over the tip, CPID (as 1.1.3.8 judges it)', async () => {
      // 1.1.3.8 judges a fresh block's CPID at any height (src/rpcblockchain.cpp:2264 @1.1.3.8).
      await start({ clientVersion: 1_010_308 });
      const tip = node.chain.tip;
      const recipient = randomAddress('main');
      const cpid = {
        cpid: 'c1',
        signature: 's1',
        signatureValid: true,
        legal: false,
        legalityNarr: 'CPID_SOLVED_RECENT_BLOCK',
      };
      const coinbase: SimCoinbaseTx = {
        version: 1,
        height: tip.height + 1,
        extraNonce: 0,
        outputs: [
          {
            address: recipient,
            value: parseCoins('5492.99999999'),
            message: buildBlockMessage({
              walletVersion: '1.1.9.3',
              minerGuid: 'miner-guid-1',
              cpid,
            }),
          },
        ],
        cpid,
      };
      const header = {
        version: 1,
        prevHash: tip.hash,
        prevHeight: tip.height,
        time: tip.header.time + 30,
        prevTime: tip.header.time,
        nonce: 7,
      };
      const block = assembleBlock({ header, coinbase });
      const result = await call<Record<string, unknown>>(
        'exec',
        'hexblocktocoinbase',
        encodeBlock(block),
        encodeCoinbaseTx(coinbase),
      );
      expect(result).toEqual({
        Command: 'hexblocktocoinbase',
        txid: block.txid,
        recipient,
        biblehash: block.bibleHash,
        subsidy: 5492,
        blockversion: '1.1.9.3',
        cpid_sig_valid: true,
        cpid_legal: false,
        cpid_legality_narr: 'CPID_SOLVED_RECENT_BLOCK',
        blockmessage:
          '<VER>1.1.9.3</VER><MINERGUID>miner-guid-1</MINERGUID><cpidsig>c1;s1</cpidsig>',
      });

      const invalidSig = assembleBlock({
        header,
        coinbase: { ...coinbase, cpid: { ...cpid, signatureValid: false } },
      });
      await expect(
        call('exec', 'hexblocktocoinbase', encodeBlock(invalidSig), ''),
      ).resolves.toMatchObject({
        cpid_sig_valid: false,
        cpid_legal: false,
        cpid_legality_narr: 'CPID_SIGNATURE_INVALID',
      });

      const oldNode = assembleBlock({ header, coinbase: { ...coinbase, cpid: undefined } });
      const old = await call<Record<string, unknown>>(
        'exec',
        'hexblocktocoinbase',
        encodeBlock(oldNode),
        '',
      );
      // A classic node always reports the CPID members: a block without a signature has an
      // invalid one (VerifyCPIDSignature("") is false, src/rpcpodc.cpp:118-123 @1.2.0.1).
      expect(old).toMatchObject({
        cpid_sig_valid: false,
        cpid_legal: false,
        cpid_legality_narr: 'CPID_SIGNATURE_INVALID',
      });
      expect(old.recipient).toBe(recipient);
    });

    it('hexblocktocoinbase answers bad hex with RPC error -22 "Block decode failed"', async () => {
      await start();
      for (const hex of [
        'zz',
        '',
        '0011',
        encodeCoinbaseTx({
          version: 1,
          height: 1,
          extraNonce: 0,
          outputs: [{ address: 'x', value: 1n, message: '' }],
        }),
      ]) {
        const error = await rpcError(call('exec', 'hexblocktocoinbase', hex, ''));
        expect({ code: error.code, message: error.message }).toEqual({
          code: -22,
          message: 'Block decode failed',
        });
      }
    });

    it('pinfo caps the nonce at max(512, elapsed*256), unlimited (999999999) after 30 minutes', async () => {
      let now = 1_800_000_000;
      await start({ now: () => now });
      const pinfo = () =>
        call<{ Command: string; height: number; pinfo: number; elapsed: number }>('exec', 'pinfo');
      node.setTipTime(now);
      await expect(pinfo()).resolves.toEqual({
        Command: 'pinfo',
        height: 10,
        pinfo: 512,
        elapsed: 0,
      });
      now += 1;
      expect((await pinfo()).pinfo).toBe(512);
      now += 1;
      expect((await pinfo()).pinfo).toBe(512); // 2 * 256 = 512
      now += 1;
      expect((await pinfo()).pinfo).toBe(768);
      await call('sim_settiptime', now - 100);
      await expect(pinfo()).resolves.toMatchObject({ pinfo: 25600, elapsed: 100 });
      await call('sim_settiptime', now - 1800);
      await expect(pinfo()).resolves.toMatchObject({ pinfo: 460800, elapsed: 1800 });
      await call('sim_settiptime', now - 1801);
      await expect(pinfo()).resolves.toMatchObject({ pinfo: 999999999, elapsed: 1801 });
    });

    it.each([
      ['classic', 'Unknown command: nosuchitem'],
      ['evo', 'Command not found'],
    ] as const)(
      'answers an unknown item as a %s node does: HTTP 200, a result {Command, Error}, no RPC error',
      async (flavor, text) => {
        await start({ flavor });
        const response = await postJson(node.url, {
          method: 'exec',
          params: ['nosuchitem', 'x'],
          id: 3,
        });
        expect(response.status).toBe(200);
        expect(JSON.parse(response.text)).toEqual({
          result: { Command: 'nosuchitem', Error: text },
          error: null,
          id: 3,
        });
        // An empty item is a runtime_error: -1 "Command argument invalid.".
        const empty = await rpcError(call('exec', ''));
        expect({ code: empty.code, message: empty.message }).toEqual({
          code: -1,
          message: 'Command argument invalid.',
        });
      },
    );

    it('subsidy reports whole coins, recipient, version and miner id; "block not found" above the tip and at 0', async () => {
      await start({ subsidy: parseCoins('5492.75'), clientVersion: 1_010_308 });
      const [block] = node.mine(1, { recipient: randomAddress('main'), minerGuid: 'guid-9' });
      await expect(call('exec', 'subsidy', '11')).resolves.toEqual({
        Command: 'subsidy',
        subsidy: 5492,
        recipient: block.coinbase.outputs[0].address,
        blockversion: '1.1.9.3',
        minerguid: 'guid-9',
      });
      await expect(call('exec', 'subsidy', '12')).resolves.toEqual({
        Command: 'subsidy',
        error: 'block not found',
      });
      await expect(call('exec', 'subsidy', '0')).resolves.toEqual({
        Command: 'subsidy',
        error: 'block not found',
      });
    });
  });

  describe('chain', () => {
    it('grows by itself every blockSeconds, paying random valid addresses of its network', async () => {
      await start({ network: 'test', blockSeconds: 0.05 });
      await new Promise((resolve) => setTimeout(resolve, 400));
      const height = await call<number>('getblockcount');
      expect(height).toBeGreaterThanOrEqual(13);
      const recipients = new Set<string>();
      for (let h = 11; h <= height; h++) {
        const subsidy = await call<{ recipient: string }>('exec', 'subsidy', String(h));
        expect(isValidAddress('test', subsidy.recipient)).toBe(true);
        recipients.add(subsidy.recipient);
      }
      expect(recipients.size).toBe(height - 10);
    });

    it('getblock links blocks: height, time, confirmations, previousblockhash', async () => {
      await start();
      const hash5 = await call<string>('getblockhash', 5);
      const block = await call<Record<string, unknown>>('getblock', hash5);
      expect(block).toMatchObject({
        hash: hash5,
        height: 5,
        confirmations: 6,
        previousblockhash: node.chain.at(4)!.hash,
        nextblockhash: node.chain.at(6)!.hash,
      });
      expect(typeof block.time).toBe('number');
      const missing = await rpcError(call('getblock', 'ab'.repeat(32)));
      expect(missing.code).toBe(-5);
    });

    it('accepts a submitted block that builds on the tip and meets the network target, and records its recipient and MINERGUID', async () => {
      await start({ networkTarget: 'f'.repeat(64) });
      const tip = node.chain.tip;
      const recipient = node.options.poolAddress;
      const coinbase: SimCoinbaseTx = {
        version: 1,
        height: tip.height + 1,
        extraNonce: 0,
        outputs: [
          {
            address: recipient,
            value: node.chain.subsidy,
            message: buildBlockMessage({ walletVersion: '1.1.9.3', minerGuid: 'found-it' }),
          },
        ],
      };
      const header = {
        version: 1,
        prevHash: tip.hash,
        prevHeight: tip.height,
        time: tip.header.time + 1,
        prevTime: tip.header.time,
        nonce: 1,
      };
      const block = assembleBlock({ header, coinbase });
      await expect(call('submitblock', encodeBlock(block))).resolves.toBeNull();
      await expect(call('submitblock', encodeBlock(block))).resolves.toBe('duplicate');
      await expect(call('exec', 'subsidy', String(tip.height + 1))).resolves.toMatchObject({
        recipient,
        minerguid: 'found-it',
      });

      // Built on the old tip: no longer the tip.
      const stale = assembleBlock({ header: { ...header, nonce: 2 }, coinbase });
      await expect(call('submitblock', encodeBlock(stale))).resolves.toBe('inconclusive');
      expect((await rpcError(call('submitblock', 'nothex'))).code).toBe(-22);
    });

    it('refuses a submitted block whose bible hash is above the network target (high-hash)', async () => {
      await start({ networkTarget: '0'.repeat(63) + '1' });
      const tip = node.chain.tip;
      const coinbase: SimCoinbaseTx = {
        version: 1,
        height: tip.height + 1,
        extraNonce: 0,
        outputs: [{ address: randomAddress('main'), value: 1n, message: '' }],
      };
      const block = assembleBlock({
        header: {
          version: 1,
          prevHash: tip.hash,
          prevHeight: tip.height,
          time: tip.header.time + 1,
          prevTime: tip.header.time,
          nonce: 1,
        },
        coinbase,
      });
      await expect(call('submitblock', encodeBlock(block))).resolves.toBe('high-hash');
      expect(node.chain.height).toBe(10);
    });

    it.each([
      ['classic', 'high-hash'],
      ['evo', null],
    ] as const)(
      "a %s node judges a submitted block's nonce by its own time from F9000 on (CheckNonce): %s",
      async (flavor, overLimit) => {
        // Above F9000 (main 21,550): a block 2 s after the tip may carry nonce 512, not 513.
        let clock = 1_800_000_000;
        await start({
          flavor,
          networkTarget: 'f'.repeat(64),
          startHeight: 30_000,
          baseHeight: 29_990,
          now: () => clock,
        });
        const blockWith = (nonce: number) =>
          blockOnTip(node, node.chain.tip.header.time + 2, nonce);
        await expect(call('submitblock', blockWith(513))).resolves.toBe(overLimit);
        if (overLimit !== null) {
          await expect(call('submitblock', blockWith(512))).resolves.toBeNull();
        }
        // More than 30 minutes after the tip (the node's clock there too): any nonce.
        clock = node.chain.tip.header.time + 1801;
        await expect(
          call('submitblock', blockOnTip(node, clock, 4_000_000_000)),
        ).resolves.toBeNull();
      },
    );

    // CheckBlockHeader after the proof of work: classic refuses a block more than 15 minutes ahead
    // of its clock "time-way-too-new", and after prev height 24,999 more than 5 minutes ahead
    // "time-too-new" (src/main.cpp:4306-4313 @1.2.0.1); Evo refuses more than 15 minutes ahead
    // "time-too-new" (src/validation.cpp:3365-3368 @1.4.4.8).
    it.each([
      ['classic', 10, 900, 'time-way-too-new'],
      ['classic', 30_000, 300, 'time-too-new'],
      ['evo', 10, 900, 'time-too-new'],
      ['evo', 30_000, 900, 'time-too-new'],
    ] as const)(
      'a %s node at height %d takes a block up to %d s ahead of its clock, a second more is %s',
      async (flavor, startHeight, limit, refusal) => {
        const clock = 1_800_000_000;
        await start({
          flavor,
          networkTarget: 'f'.repeat(64),
          startHeight,
          baseHeight: startHeight - 10,
          now: () => clock,
        });
        const blockAt = (time: number) => blockOnTip(node, time, 0);
        await expect(call('submitblock', blockAt(clock + limit + 1))).resolves.toBe(refusal);
        await expect(call('submitblock', blockAt(clock + 15 * 60 + 1))).resolves.toBe(
          flavor === 'classic' ? 'time-way-too-new' : 'time-too-new',
        );
        await expect(call('submitblock', blockAt(clock + limit))).resolves.toBeNull();
      },
    );

    it('sim_reorg replaces the block at H: exec subsidy H shows another recipient, the old hash has confirmations -1', async () => {
      await start();
      const pool = node.options.poolAddress;
      node.mine(1, { recipient: pool, minerGuid: 'g1' });
      node.mine(3);
      const before = await call<{ recipient: string; minerguid: string }>('exec', 'subsidy', '11');
      expect(before).toMatchObject({ recipient: pool, minerguid: 'g1' });
      const oldHash = node.chain.at(11)!.hash;
      const oldTip = node.chain.tip.hash;
      const reorg = await call<{ hash: string; recipient: string; orphaned: string }>(
        'sim_reorg',
        11,
      );
      expect(reorg.orphaned).toBe(oldHash);
      const after = await call<{ recipient: string; minerguid: string }>('exec', 'subsidy', '11');
      expect(after.recipient).not.toBe(pool);
      expect(isValidAddress('main', after.recipient)).toBe(true);
      expect(await call('getblockhash', 11)).toBe(reorg.hash);
      expect(await call('getblockcount')).toBe(14);
      await expect(call('getblock', oldHash)).resolves.toMatchObject({ confirmations: -1 });
      expect(node.chain.tip.hash).not.toBe(oldTip);
      const info = await postJson(node.url, { method: 'getwalletinfo', params: [], id: 1 });
      expect(amountIn(info.text, 'immature_balance')).toBe(0n);
    });

    it('sim_undoreorg brings the replaced branch back (A → B → A)', async () => {
      await start();
      node.mine(3);
      const original = node.chain
        .mainChain()
        .slice(11)
        .map((b) => b.hash);
      await call('sim_reorg', 11);
      expect(await call('getblockhash', 11)).not.toBe(original[0]);
      await call('sim_undoreorg');
      expect(
        node.chain
          .mainChain()
          .slice(11)
          .map((b) => b.hash),
      ).toEqual(original);
      await expect(call('getblock', original[0])).resolves.toMatchObject({ height: 11 });
      expect((await rpcError(call('sim_undoreorg'))).code).toBe(-8);
    });

    it('sim_rewind hides the blocks above H as a reindexing node would; sim_catchup gives them back', async () => {
      await start();
      node.mine(3);
      const top = node.chain.tip.hash;
      await call('sim_rewind', 11);
      expect(await call('getblockcount')).toBe(11);
      expect((await rpcError(call('getblockhash', 12))).code).toBe(-8);
      await expect(call('exec', 'subsidy', '12')).resolves.toMatchObject({
        error: 'block not found',
      });
      await call('sim_catchup');
      expect(await call('getblockcount')).toBe(13);
      expect(await call('getblockhash', 13)).toBe(top);
    });
  });

  describe('wallet', () => {
    it('keeps a pool coinbase immature until maturity confirmations, then spendable', async () => {
      await start({ subsidy: parseCoins('5492.75'), maturity: 101 });
      const info = async () => {
        const text = (await postJson(node.url, { method: 'getwalletinfo', params: [], id: 1 }))
          .text;
        return { balance: amountIn(text, 'balance'), immature: amountIn(text, 'immature_balance') };
      };
      await call('sim_mine', 1, node.options.poolAddress, 'g');
      await expect(info()).resolves.toEqual({ balance: 0n, immature: 549_275_000_000n });
      await call('sim_mine', 99); // 100 confirmations
      await expect(info()).resolves.toEqual({ balance: 0n, immature: 549_275_000_000n });
      await call('sim_mine', 1); // 101 confirmations
      await expect(info()).resolves.toEqual({ balance: 549_275_000_000n, immature: 0n });
      const list = await call<{ category: string }[]>('listtransactions', '*', 1000);
      expect(list.filter((t) => t.category === 'generate')).toHaveLength(1);
    });

    it('sendmany debits amounts plus one fixed fee exactly, and records the comment', async () => {
      await start({ walletBalance: parseCoins('100'), txFee: parseCoins('0.001') });
      const a = randomAddress('main');
      const b = randomAddress('main');
      const txid = await call<string>(
        'sendmany',
        '',
        { [a]: 10, [b]: '0.12345678' },
        1,
        'batch-7f3a',
      );
      expect(txid).toMatch(/^[0-9a-f]{64}$/);
      expect(node.wallet.balances().balance).toBe(
        parseCoins('100') - parseCoins('10.12345678') - parseCoins('0.001'),
      );
      const text = (await postJson(node.url, { method: 'getwalletinfo', params: [], id: 1 })).text;
      expect(amountIn(text, 'balance')).toBe(8_987_554_322n);

      const tx = await postJson(node.url, { method: 'gettransaction', params: [txid], id: 1 });
      expect(amountIn(tx.text, 'amount')).toBe(-parseCoins('10.12345678'));
      expect(amountIn(tx.text, 'fee')).toBe(-parseCoins('0.001'));
      const parsed = (JSON.parse(tx.text) as { result: { details: { address: string }[] } }).result;
      expect(parsed).toMatchObject({ txid, confirmations: 0, comment: 'batch-7f3a' });
      expect(parsed.details.map((d) => d.address)).toEqual([a, b]);

      node.mine(1);
      await expect(call('gettransaction', txid)).resolves.toMatchObject({ confirmations: 1 });
      const listed = await call<
        { txid: string; comment?: string; category: string; address: string }[]
      >('listtransactions', '*', 10);
      const batch = listed.filter((t) => t.comment === 'batch-7f3a');
      expect(batch.map((t) => [t.txid, t.category, t.address])).toEqual([
        [txid, 'send', a],
        [txid, 'send', b],
      ]);
    });

    it('a conflicted send has negative confirmations and its coins back; only an unrelayed one can be abandoned', async () => {
      await start({ walletBalance: parseCoins('100'), txFee: parseCoins('0.001') });
      const txid = await call<string>('sendmany', '', { [randomAddress('main')]: 10 }, 1, 'x');
      await expect(call('abandontransaction', txid)).rejects.toThrow(/not eligible/);
      await call('sim_conflict', txid);
      node.mine(2);
      const tx = await call<{ confirmations: number; details: { abandoned: boolean }[] }>(
        'gettransaction',
        txid,
      );
      expect(tx.confirmations).toBe(-3); // the block holding the double spend, 3 deep
      expect(node.wallet.balances().balance).toBe(parseCoins('100'));

      // -4 after the commit: stored, never relayed, never mined; abandoned, its coins come back.
      node.faults.errorsAfter.set('sendmany', { rate: 1, code: -4, message: 'x', count: 1 });
      await expect(call('sendmany', '', { [randomAddress('main')]: 5 }, 1, 'y')).rejects.toThrow();
      const stored = node.wallet.lastSend()!;
      node.mine(1);
      await expect(call('gettransaction', stored.txid)).resolves.toMatchObject({
        confirmations: 0,
      });
      expect(node.wallet.balances().balance).toBe(parseCoins('100') - parseCoins('5.001'));
      await call('abandontransaction', stored.txid);
      const abandoned = await call<{ confirmations: number; details: { abandoned: boolean }[] }>(
        'gettransaction',
        stored.txid,
      );
      expect(abandoned.confirmations).toBe(0);
      expect(abandoned.details.every((d) => d.abandoned)).toBe(true);
      expect(node.wallet.balances().balance).toBe(parseCoins('100'));
    });

    it('sim_unmine takes a mined send out of its block: 0 confirmations, not conflicted, mined again by the next block', async () => {
      await start({ walletBalance: parseCoins('100'), txFee: parseCoins('0.001') });
      const txid = await call<string>('sendmany', '', { [randomAddress('main')]: 10 }, 1, 'x');
      await expect(call('sim_unmine', txid)).rejects.toThrow(/not in a block/);
      node.mine(2);
      await expect(call('gettransaction', txid)).resolves.toMatchObject({ confirmations: 2 });
      await expect(call('sim_unmine', txid)).resolves.toMatchObject({ confirmations: 0 });
      await expect(call('gettransaction', txid)).resolves.toMatchObject({ confirmations: 0 });
      node.mine(1);
      await expect(call('gettransaction', txid)).resolves.toMatchObject({ confirmations: 1 });
    });

    it('sendmany with subtract-fee-from takes the fee out of the listed recipients, the first paying the remainder', async () => {
      await start({ walletBalance: parseCoins('50'), txFee: 100_001n });
      const a = randomAddress('main');
      const b = randomAddress('main');
      const c = randomAddress('main');
      const txid = await call<string>('sendmany', '', { [a]: 1, [b]: 2, [c]: 3 }, 1, '', [a, c]);
      const send = node.wallet.findTransaction(txid)[0];
      if (send.kind !== 'send') throw new Error('expected a send');
      expect(send.outputs.map((o) => o.amount)).toEqual([
        COIN - 50_001n,
        2n * COIN,
        3n * COIN - 50_000n,
      ]);
      // The wallet gave exactly what was asked: the fee came out of the recipients.
      expect(node.wallet.balances().balance).toBe(parseCoins('44'));
    });

    it('sendtoaddress debits amount + fee, or only the amount when the fee is subtracted', async () => {
      await start({ walletBalance: parseCoins('10'), txFee: parseCoins('0.01') });
      await call('sendtoaddress', randomAddress('main'), 1.5, 'c', 'to');
      expect(node.wallet.balances().balance).toBe(parseCoins('8.49'));
      const txid = await call<string>('sendtoaddress', randomAddress('main'), '2', '', '', true);
      expect(node.wallet.balances().balance).toBe(parseCoins('6.49'));
      const tx = await postJson(node.url, { method: 'gettransaction', params: [txid], id: 1 });
      expect(amountIn(tx.text, 'amount')).toBe(-parseCoins('1.99'));
    });

    it('fails short funds with code -6 and a locked wallet with -13, paying nothing', async () => {
      await start({ walletBalance: parseCoins('10'), txFee: parseCoins('0.01') });
      const to = randomAddress('main');
      const over = await rpcError(call('sendmany', '', { [to]: '10.00000001' }));
      expect({ code: over.code, message: over.message }).toEqual({
        code: -6,
        message: 'Account has insufficient funds',
      });
      const feeShort = await rpcError(call('sendmany', '', { [to]: 10 }));
      expect({ code: feeShort.code, message: feeShort.message }).toEqual({
        code: -6,
        message: 'Insufficient funds.', // src/wallet/wallet.cpp:3293 @1.2.0.1
      });
      const single = await rpcError(call('sendtoaddress', to, 11));
      expect({ code: single.code, message: single.message }).toEqual({
        code: -6,
        message: 'Insufficient funds',
      });
      await call('sim_insufficientfunds', true);
      expect((await rpcError(call('sendmany', '', { [to]: 1 }))).code).toBe(-6);
      await call('sim_insufficientfunds', false);
      await call('sim_lockwallet', true);
      const locked = await rpcError(call('sendmany', '', { [to]: 1 }));
      expect(locked.code).toBe(-13);
      await call('sim_lockwallet', false);
      expect(node.wallet.balances().balance).toBe(parseCoins('10'));
      // Exactly everything with the fee subtracted from the recipient: allowed, and then empty.
      await call('sendmany', '', { [to]: 10 }, 1, '', [to]);
      expect(node.wallet.balances().balance).toBe(0n);
      expect((await rpcError(call('sendmany', '', { [to]: 1e-8 }))).code).toBe(-6);
    });

    it('refuses dust outputs, too large batches and refused recipients; hides sends until a rescan', async () => {
      await start({ walletBalance: parseCoins('10'), txFee: parseCoins('0.001') });
      const [a, b, c] = [randomAddress('main'), randomAddress('main'), randomAddress('main')];
      const dust = await rpcError(call('sendmany', '', { [a]: '0.00000545' }));
      expect({ code: dust.code, message: dust.message }).toEqual({
        code: -6,
        message: 'Transaction amount too small',
      });
      await call('sim_maxoutputs', 2);
      const large = await rpcError(call('sendmany', '', { [a]: 1, [b]: 1, [c]: 1 }));
      expect({ code: large.code, message: large.message }).toEqual({
        code: -6,
        message: 'Transaction too large',
      });
      await call('sim_maxoutputs', 0);
      await call('sim_refuseaddress', b);
      const refused = await rpcError(call('sendmany', '', { [a]: 1, [b]: 1 }));
      expect({ code: refused.code, message: refused.message }).toEqual({
        code: -5,
        message: `Invalid Biblepay address: ${b}`,
      });
      await call('sim_refuseaddress', b, false);
      expect(node.wallet.balances().balance).toBe(parseCoins('10'));

      await call('sim_hidesends', 1);
      const txid = await call<string>('sendmany', '', { [a]: 1 });
      expect(node.wallet.balances().balance).toBe(parseCoins('8.999')); // the coins did leave
      expect((await rpcError(call('gettransaction', txid))).code).toBe(-5);
      const listed = await call<{ txid: string }[]>('listtransactions', '*', 100);
      expect(listed.some((t) => t.txid === txid)).toBe(false);
      expect(await call('sim_rescan')).toEqual({ found: 1 });
      const relisted = await call<{ txid: string }[]>('listtransactions', '*', 100);
      expect(relisted.some((t) => t.txid === txid)).toBe(true);
    });

    it('refuses invalid addresses, duplicates and bad amounts with the node codes', async () => {
      await start({ walletBalance: parseCoins('10') });
      expect((await rpcError(call('sendmany', '', { nope: 1 }))).code).toBe(-5);
      expect((await rpcError(call('sendmany', '', { [randomAddress('test')]: 1 }))).code).toBe(-5);
      expect(
        (await rpcError(call('sendmany', '', { [randomAddress('main')]: '0.000000001' }))).message,
      ).toBe('Invalid amount');
      expect((await rpcError(call('sendmany', '', { [randomAddress('main')]: 0 }))).message).toBe(
        'Invalid amount for send',
      );
      expect((await rpcError(call('gettransaction', 'ab'.repeat(32)))).code).toBe(-5);
      await expect(call('validateaddress', node.options.poolAddress)).resolves.toMatchObject({
        isvalid: true,
        ismine: true,
      });
      await expect(call('validateaddress', 'nope')).resolves.toEqual({ isvalid: false });
    });
  });

  describe('fault knobs', () => {
    it('lost reply: the client sees a dropped connection but the wallet did pay, findable by its comment', async () => {
      await start({ walletBalance: parseCoins('10'), txFee: 0n });
      await call('sim_losereply', 'sendmany', 1);
      const to = randomAddress('main');
      await expect(call('sendmany', '', { [to]: 3 }, 1, 'payout-batch-99')).rejects.toThrow(
        /socket hang up|ECONNRESET/,
      );
      expect(node.wallet.balances().balance).toBe(parseCoins('7'));
      const listed =
        await call<{ comment?: string; address: string; txid: string }[]>('listtransactions');
      const paid = listed.filter((t) => t.comment === 'payout-batch-99');
      expect(paid).toHaveLength(1);
      expect(paid[0].address).toBe(to);
      // Only once: the next call is answered.
      await expect(call('sendmany', '', { [to]: 1 })).resolves.toMatch(/^[0-9a-f]{64}$/);
    });

    it('node down refuses connections for N seconds, then answers again', async () => {
      await start();
      await call('sim_down', 0.3);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expect(call('getblockcount')).rejects.toThrow(/ECONNREFUSED/);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await expect(call('getblockcount')).resolves.toBe(10);
      await node.goDown();
      await expect(call('getblockcount')).rejects.toThrow(/ECONNREFUSED/);
      await node.goUp();
      await expect(call('getblockcount')).resolves.toBe(10);
    });

    it('failure rate and fail-next inject the configured error on one method only', async () => {
      await start();
      await call('sim_failrate', 'getblockcount', 1);
      const error = await rpcError(call('getblockcount'));
      expect({ code: error.code, message: error.message }).toEqual({
        code: -28,
        message: 'Loading block index...',
      });
      await expect(call('getbestblockhash')).resolves.toBe(node.chain.tip.hash);
      await call('sim_failrate', 'getblockcount', 0);
      await call('sim_failnext', 'getblockhash', 2, -1, 'boom');
      expect((await rpcError(call('getblockhash', 1))).message).toBe('boom');
      expect((await rpcError(call('getblockhash', 1))).message).toBe('boom');
      await expect(call('getblockhash', 1)).resolves.toBe(node.chain.at(1)!.hash);
    });

    it('run late: the client gives up, the send still commits afterwards (sim_runlate)', async () => {
      await start({ walletBalance: parseCoins('10') });
      await call('sim_runlate', 'sendmany', 300);
      const to = randomAddress('main');
      const controller = new AbortController();
      const gaveUp = setTimeout(() => controller.abort(), 50);
      await expect(
        fetch(node.url.replace(/\/\/.*@/, '//'), {
          method: 'POST',
          signal: controller.signal,
          headers: {
            authorization: `Basic ${Buffer.from('simuser:simpass').toString('base64')}`,
          },
          body: JSON.stringify({ method: 'sendmany', params: ['', { [to]: 1 }], id: 1 }),
        }),
      ).rejects.toThrow();
      clearTimeout(gaveUp);
      expect(node.wallet.entries().filter((e) => e.kind === 'send')).toHaveLength(0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const sends = node.wallet.entries().filter((e) => e.kind === 'send');
      expect(sends).toHaveLength(1); // committed after the client had gone
    });

    it('reorg on call: the chain reorganises right before or after a given call', async () => {
      await start();
      const pool = node.options.poolAddress;
      node.mine(1, { recipient: pool });
      const old = node.chain.at(11)!.hash;
      node.faults.reorgOnCall.push({
        method: 'getblockhash',
        param: 11,
        when: 'after',
        height: 11,
      });
      expect(await call('getblockhash', 10)).toBe(node.chain.at(10)!.hash); // another height: no
      expect(await call('getblockhash', 11)).toBe(old); // answered, then the chain moved
      expect(node.chain.at(11)!.hash).not.toBe(old);
      node.faults.reorgOnCall.push({
        method: 'getblockhash',
        param: 11,
        when: 'before',
        height: 11,
      });
      const before = node.chain.at(11)!.hash;
      const answered = await call('getblockhash', 11);
      expect(answered).toBe(node.chain.at(11)!.hash);
      expect(answered).not.toBe(before);
      expect(node.faults.reorgOnCall).toHaveLength(0);
    });

    it('added latency delays the answer', async () => {
      await start({ latencyMs: 150 });
      const started = Date.now();
      await call('getblockcount');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  describe('SIM_STATE persistence', () => {
    it('keeps chain, orphans and wallet across a restart', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sim-node-'));
      const statePath = join(dir, 'state.json');
      try {
        await start({ statePath, walletBalance: parseCoins('20'), network: 'test' });
        const pool = node.options.poolAddress;
        node.mine(2, { recipient: pool, minerGuid: 'g' });
        node.reorg(12);
        const txid = await call<string>('sendmany', '', { [randomAddress('test')]: 5 }, 1, 'kept');
        const tip = node.chain.tip.hash;
        const balance = node.wallet.balances();
        await node.close();

        await start({ statePath, network: 'test' });
        expect(node.options.poolAddress).toBe(pool);
        expect(node.chain.height).toBe(12);
        expect(node.chain.tip.hash).toBe(tip);
        expect(node.wallet.balances()).toEqual(balance);
        await expect(call('gettransaction', txid)).resolves.toMatchObject({ comment: 'kept' });
        await expect(call('exec', 'subsidy', '11')).resolves.toMatchObject({
          recipient: pool,
          minerguid: 'g',
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('generations (docs/FIDELITY.md)', () => {
    const craftedBlockHex = (walletVersion: string): string => {
      const tip = node.chain.tip;
      const coinbase: SimCoinbaseTx = {
        version: 1,
        height: tip.height + 1,
        extraNonce: 0,
        outputs: [
          {
            address: node.options.poolAddress,
            value: parseCoins('5492'),
            message: buildBlockMessage({ walletVersion, minerGuid: 'g-1' }),
          },
        ],
      };
      const header = {
        version: 1,
        prevHash: tip.hash,
        prevHeight: tip.height,
        time: tip.header.time + 30,
        prevTime: tip.header.time,
        nonce: 7,
      };
      return encodeBlock(assembleBlock({ header, coinbase }));
    };

    it('answers getnetworkinfo with the release it plays', async () => {
      await start({ flavor: 'evo' });
      await expect(call('getnetworkinfo')).resolves.toMatchObject({
        version: 1_040_408,
        subversion: '/BiblePay Core:1.4.4.8/',
      });
      await node.close();
      await start();
      await expect(call('getnetworkinfo')).resolves.toMatchObject({
        version: 1_020_001,
        subversion: '/Biblepay Core:1.2.0.1/',
      });
    });

    it('classic 1.2.0.1 above PODC: a block without a CPID signature is legal', async () => {
      await start({ startHeight: 110_000, baseHeight: 109_990 });
      await expect(
        call('exec', 'hexblocktocoinbase', craftedBlockHex('1.2.0.1')),
      ).resolves.toMatchObject({
        Command: 'hexblocktocoinbase',
        blockversion: 1201,
        cpid_sig_valid: false,
        cpid_legal: true,
        cpid_legality_narr: '',
      });
    });

    it('Evo 1.4.4.8: ABN members and no CPID members; Evo 1.4.8.4: exactly the hex, no Command', async () => {
      await start({ flavor: 'evo' });
      const evo = await call<Record<string, unknown>>(
        'exec',
        'hexblocktocoinbase',
        craftedBlockHex('1.4.4.8'),
      );
      expect(evo).toMatchObject({
        Command: 'hexblocktocoinbase',
        abn_passed: true,
        blockversion: 1448,
      });
      expect(evo).not.toHaveProperty('cpid_sig_valid');
      await node.close();

      await start({ flavor: 'evo', clientVersion: 1_040_804 });
      const hex = craftedBlockHex('1.4.8.4');
      const error = await rpcError(call('exec', 'hexblocktocoinbase', hex, ''));
      expect({ code: error.code, message: error.message }).toEqual({
        code: -1,
        message: 'You must specify the block serialization hex.',
      });
      const answer = await call<Record<string, unknown>>('exec', 'hexblocktocoinbase', hex);
      expect(answer).not.toHaveProperty('Command');
      expect(answer).toMatchObject({
        recipient: node.options.poolAddress,
        height: node.chain.height + 1,
      });
    });

    it('Evo sendmany wants addlocked (a boolean) before the comment', async () => {
      await start({ flavor: 'evo', walletBalance: parseCoins('100') });
      const to = randomAddress('main');
      const error = await rpcError(call('sendmany', '', { [to]: 1 }, 1, 'purepool:1', [to]));
      expect({ code: error.code, message: error.message }).toEqual({
        code: -1,
        message: 'JSON value is not a boolean as expected',
      });
      expect(node.wallet.entries().filter((e) => e.kind === 'send')).toHaveLength(0);
      const txid = await call<string>('sendmany', '', { [to]: 1 }, 1, false, 'purepool:1', [to]);
      expect(txid).toMatch(/^[0-9a-f]{64}$/);
    });

    it('a labelled pool address keeps its coins out of the "" account sendmany spends', async () => {
      await start({ poolLabel: 'pool', walletBalance: parseCoins('100') });
      await expect(call('validateaddress', node.options.poolAddress)).resolves.toMatchObject({
        account: 'pool',
      });
      const [wallet, account] = await Promise.all([
        postJson(node.url, { method: 'getwalletinfo', params: [], id: 1 }),
        postJson(node.url, { method: 'getbalance', params: ['', 1], id: 1 }),
      ]);
      expect(amountIn(wallet.text, 'balance')).toBe(parseCoins('100'));
      expect(account.text).toContain('"result":0.00000000');
      const error = await rpcError(call('sendmany', '', { [randomAddress('main')]: 1 }));
      expect({ code: error.code, message: error.message }).toEqual({
        code: -6,
        message: 'Account has insufficient funds',
      });
    });

    it('words a fee-paying dust output as the wallet does', async () => {
      await start({ walletBalance: parseCoins('100'), txFee: parseCoins('0.001') });
      const to = randomAddress('main');
      const error = await rpcError(call('sendmany', '', { [to]: '0.00100100' }, 1, '', [to]));
      expect({ code: error.code, message: error.message }).toEqual({
        code: -6,
        message: 'The transaction amount is too small to send after the fee has been deducted',
      });
    });

    it('answers a busy request HTTP 500 "Work queue depth exceeded" and runs nothing', async () => {
      await start({ walletBalance: parseCoins('100') });
      await call('sim_busy', 'sendmany', 1);
      const to = randomAddress('main');
      const busy = await postJson(node.url, {
        method: 'sendmany',
        params: ['', { [to]: 1 }],
        id: 1,
      });
      expect({ status: busy.status, text: busy.text }).toEqual({
        status: 500,
        text: 'Work queue depth exceeded',
      });
      expect(node.wallet.entries().filter((e) => e.kind === 'send')).toHaveLength(0);
      await expect(call('sendmany', '', { [to]: 1 })).resolves.toMatch(/^[0-9a-f]{64}$/);
    });
  });
});
