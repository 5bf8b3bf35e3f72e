import { isValidAddress } from '../../src/biblepay/address';
import { AmountError, MAX_MONEY, parseCoins, wholeCoins } from '../chain/amount';
import { coinbaseMessage, decodeBlock, extractXml, SimDecodeError } from '../chain/block-codec';
import { bibleHash, isHex64, maxNonce, readIntegerArgument } from '../chain/hash';
import { Coins } from '../chain/json-text';
import { ChainBlock, SimChain } from './chain';
import { SimFaults } from './faults';
import {
  blockVersionNumber,
  classicCpidVerdict,
  evo148,
  numericBlockVersions,
  versionText,
} from './generation';
import { SimNodeOptions } from './options';
import { Params } from './rpc-params';
import { RpcCode, RpcError } from './rpc-error';
import { CoinbaseCredit, SimWallet, WalletEntry, WalletReceive, WalletSend } from './wallet';

export type RpcHandler = (params: unknown[]) => unknown;

/** What the methods may do to the server around them. */
export interface NodeControl {
  /** Stop listening after this reply; come back after `seconds` (0 = until told). */
  goDownAfterReply(seconds: number): void;
  setBlockSeconds(seconds: number): void;
  blockSeconds(): number;
  /** Persist the state now (after a wallet change). */
  changed(): void;
  isDown(): boolean;
}

export interface NodeContext {
  options: SimNodeOptions;
  chain: SimChain;
  wallet: SimWallet;
  faults: SimFaults;
  control: NodeControl;
}

/**
 * Every JSON-RPC method of the simulated node: the node calls of docs/PROTOCOL.md §2 with their real
 * names, argument rules and result shapes, plus `getblocktemplate`/`submitblock` for the
 * simulated miner and the `sim_*` admin methods (fault knobs, chain control).
 */
export function createRpcMethods(ctx: NodeContext): Map<string, RpcHandler> {
  const { chain, wallet } = ctx;
  const methods = new Map<string, RpcHandler>();
  const define = (name: string, usage: string, handler: (p: Params) => unknown): void => {
    methods.set(name, (values) => handler(new Params(values, usage)));
  };

  define('exec', 'exec <string::itemname> <string::parameter>', (p) => {
    p.arity(1, 7);
    const item = p.str(0);
    // src/rpcblockchain.cpp:1389 @1.2.0.1; src/rpc/blockchain.cpp:1749 @1.4.4.8.
    if (item === '') throw new RpcError(RpcCode.MISC_ERROR, 'Command argument invalid.');
    switch (item) {
      case 'biblehash':
        return execBibleHash(ctx, p);
      case 'hexblocktocoinbase':
        return execHexBlockToCoinbase(ctx, p);
      case 'pinfo':
        return execPinfo(ctx);
      case 'subsidy':
        return execSubsidy(ctx, p);
      default:
        // A plain result, not an RPC error: {"Command", "Error"} (src/rpcblockchain.cpp:1392,3443
        // @1.2.0.1; src/rpc/blockchain.cpp:1752,2998 @1.4.4.8).
        return {
          Command: item,
          Error: ctx.options.flavor === 'evo' ? 'Command not found' : `Unknown command: ${item}`,
        };
    }
  });

  // version is CLIENT_VERSION (src/rpcnet.cpp:499 @1.2.0.1; src/rpc/net.cpp:438 @1.4.4.8).
  define('getnetworkinfo', 'getnetworkinfo', (p) => {
    p.arity(0, 0);
    const { flavor, clientVersion } = ctx.options;
    const name = flavor === 'evo' ? 'BiblePay Core' : 'Biblepay Core';
    return {
      version: clientVersion,
      subversion: `/${name}:${versionText(clientVersion)}/`,
      protocolversion: flavor === 'evo' ? (clientVersion >= 1_040_800 ? 70750 : 70737) : 70717,
      localservices: '0000000000000005',
      localrelay: true,
      timeoffset: 0,
      connections: 8,
      networks: [],
      relayfee: 0.0001,
      localaddresses: [],
      warnings: '',
    };
  });

  define('getblockcount', 'getblockcount', (p) => {
    p.arity(0, 0);
    return chain.height;
  });

  define('getbestblockhash', 'getbestblockhash', (p) => {
    p.arity(0, 0);
    return chain.tip.hash;
  });

  define('getblockhash', 'getblockhash index', (p) => {
    p.arity(1, 1);
    const block = chain.at(p.int(0));
    if (!block) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Block height out of range');
    return block.hash;
  });

  define('getblock', 'getblock "hash" ( verbose )', (p) => {
    p.arity(1, 2);
    const hash = parseHash(p.str(0), 'blockhash');
    const verbose = p.optBool(1, true);
    const block = chain.find(hash);
    if (!block) throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Block not found');
    return verbose ? blockToJson(chain, block) : block.hex;
  });

  define('getblocktemplate', 'getblocktemplate ( "jsonrequestobject" )', (p) => {
    p.arity(0, 1);
    const tip = chain.tip;
    const now = ctx.options.now();
    return {
      version: 536870912,
      previousblockhash: tip.hash,
      transactions: [],
      coinbasevalue: chain.subsidy,
      target: chain.networkTarget,
      mintime: medianTime(chain, tip) + 1,
      mutable: ['time', 'transactions', 'prevblock'],
      noncerange: '00000000ffffffff',
      curtime: now,
      bits: '1e0ffff0',
      height: tip.height + 1,
    };
  });

  define('submitblock', 'submitblock "hexdata" ( "jsonparametersobject" )', (p) => {
    p.arity(1, 2);
    try {
      return chain.submit(p.str(0));
    } catch (error) {
      if (error instanceof SimDecodeError) {
        throw new RpcError(RpcCode.DESERIALIZATION_ERROR, 'Block decode failed');
      }
      throw error;
    }
  });

  define('getwalletinfo', 'getwalletinfo', (p) => {
    p.arity(0, 0);
    const balances = wallet.balances();
    return {
      walletversion: 61000,
      balance: new Coins(balances.balance),
      unconfirmed_balance: new Coins(balances.unconfirmed),
      immature_balance: new Coins(balances.immature),
      txcount: wallet.entries().length,
      keypoololdest: ctx.options.now(),
      keypoolsize: 1000,
      unlocked_until: wallet.locked ? 0 : undefined,
      paytxfee: new Coins(0n),
    };
  });

  // No account: the whole wallet; "*": every transaction; else GetAccountBalance (labels).
  // src/wallet/rpcwallet.cpp:854-927 @1.2.0.1; Evo's third parameter is addlocked (:768 @1.4.4.8).
  define('getbalance', 'getbalance ( "account" minconf includeWatchonly )', (p) => {
    p.arity(0, ctx.options.flavor === 'evo' ? 4 : 3);
    const minConf = p.optInt(1, 1);
    if (!p.has(0) || p.str(0) === '*') return new Coins(wallet.balances(minConf).balance);
    return new Coins(wallet.accountBalance(p.str(0), minConf));
  });

  define(
    'sendtoaddress',
    'sendtoaddress "biblepayaddress" amount ( "comment" "comment-to" subtractfeefromamount use_is use_ps )',
    (p) => {
      p.arity(2, 7);
      const address = p.str(0);
      if (!isValidAddress(chain.network, address)) {
        throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Invalid Biblepay address');
      }
      const amount = amountFromValue(p.values[1]);
      if (amount <= 0n) throw new RpcError(RpcCode.TYPE_ERROR, 'Invalid amount for send');
      const send = wallet.send({
        amounts: [[address, amount]],
        subtractFeeFrom: p.optBool(4, false) ? [address] : [],
        comment: p.optStr(2, ''),
        commentTo: p.optStr(3, ''),
        minConf: 0,
        style: 'sendtoaddress',
      });
      ctx.control.changed();
      return send.txid;
    },
  );

  define(
    'sendmany',
    'sendmany "fromaccount" {"address":amount,...} ( minconf "comment" ["address",...] use_is use_ps )',
    (p) => {
      // Evo reads addlocked (get_bool) at [3] and shifts the rest by one, 2…8 parameters
      // (src/wallet/rpcwallet.cpp:977-984, :1029-1038 @1.4.4.8); classic 2…7 (:1082-1090 @1.2.0.1).
      const evo = ctx.options.flavor === 'evo';
      p.arity(2, evo ? 8 : 7);
      const account = p.str(0);
      if (account === '*')
        throw new RpcError(RpcCode.WALLET_INVALID_ACCOUNT_NAME, 'Invalid account name');
      const sendTo = p.obj(1);
      const minConf = p.optInt(2, 1);
      if (evo && p.has(3) && typeof p.values[3] !== 'boolean') {
        throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not a boolean as expected');
      }
      const at = evo ? 4 : 3;
      if (p.has(at) && typeof p.values[at] !== 'string') {
        throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not a string as expected');
      }
      const comment = p.optStr(at, '');
      if (p.has(at + 1) && !Array.isArray(p.values[at + 1])) {
        throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not an array as expected');
      }
      const subtractFeeFrom = p.has(at + 1)
        ? p.arr(at + 1).map((entry) => {
            if (typeof entry !== 'string') {
              throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not a string as expected');
            }
            return entry;
          })
        : [];
      const amounts: [string, bigint][] = Object.entries(sendTo).map(([address, value]) => {
        if (!isValidAddress(chain.network, address)) {
          throw new RpcError(
            RpcCode.INVALID_ADDRESS_OR_KEY,
            `Invalid Biblepay address: ${address}`,
          );
        }
        return [address, amountFromValue(value)];
      });
      const send = wallet.send({
        amounts,
        subtractFeeFrom,
        comment,
        commentTo: '',
        minConf,
        style: 'sendmany',
      });
      ctx.control.changed();
      return send.txid;
    },
  );

  define('gettransaction', 'gettransaction "txid" ( includeWatchonly )', (p) => {
    p.arity(1, 2);
    const txid = parseHash(p.str(0), 'txid');
    const found = wallet.findTransaction(txid);
    if (found.length === 0) {
      throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Invalid or non-wallet transaction id');
    }
    return transactionToJson(ctx, found);
  });

  define('abandontransaction', 'abandontransaction "txid"', (p) => {
    p.arity(1, 1);
    wallet.abandon(parseHash(p.str(0), 'txid'));
    ctx.control.changed();
    return null;
  });

  define('listtransactions', 'listtransactions ( "account" count from includeWatchonly )', (p) => {
    p.arity(0, 4);
    const account = p.optStr(0, '*');
    const count = p.optInt(1, 10);
    const from = p.optInt(2, 0);
    if (count < 0) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Negative count');
    if (from < 0) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Negative from');
    if (account !== '*' && account !== '') return [];
    const rows = wallet.entries().flatMap((entry) => listEntries(ctx, entry));
    const end = Math.max(0, rows.length - from);
    return rows.slice(Math.max(0, end - count), end);
  });

  define('validateaddress', 'validateaddress "biblepayaddress"', (p) => {
    p.arity(1, 1);
    const address = p.str(0);
    if (!isValidAddress(chain.network, address)) return { isvalid: false };
    const mine = wallet.isMine(address);
    return {
      isvalid: true,
      address,
      scriptPubKey: SimWallet.scriptPubKey(address),
      ismine: mine,
      iswatchonly: false,
      isscript: false,
      // The label as `account` (src/rpcmisc.cpp:365 @1.2.0.1; src/rpc/misc.cpp:377 @1.4.8.4).
      account: mine ? (ctx.options.poolLabel ?? '') : undefined,
    };
  });

  defineAdminMethods(ctx, define);
  return methods;
}

function defineAdminMethods(
  ctx: NodeContext,
  define: (name: string, usage: string, handler: (p: Params) => unknown) => void,
): void {
  const { chain, wallet, faults } = ctx;

  define('sim_mine', 'sim_mine ( count "recipient" "minerguid" )', (p) => {
    p.arity(0, 3);
    const count = p.optInt(0, 1);
    if (count < 1 || count > 100_000)
      throw new RpcError(RpcCode.INVALID_PARAMETER, 'count must be 1..100000');
    const recipient = p.has(1) ? p.str(1) : undefined;
    if (recipient !== undefined && !isValidAddress(chain.network, recipient)) {
      throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Invalid Biblepay address');
    }
    const minerGuid = p.has(2) ? p.str(2) : undefined;
    const hashes: string[] = [];
    for (let i = 0; i < count; i++) hashes.push(chain.mine({ recipient, minerGuid }).hash);
    return hashes;
  });

  define('sim_reorg', 'sim_reorg height ( "recipient" "minerguid" )', (p) => {
    p.arity(1, 3);
    const height = p.int(0);
    const recipient = p.has(1) ? p.str(1) : undefined;
    if (recipient !== undefined && !isValidAddress(chain.network, recipient)) {
      throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Invalid Biblepay address');
    }
    const old = chain.at(height);
    if (!old) throw new RpcError(RpcCode.INVALID_PARAMETER, 'Block height out of range');
    const block = chain.reorg(height, { recipient, minerGuid: p.has(2) ? p.str(2) : undefined });
    return {
      height,
      hash: block.hash,
      recipient: block.coinbase.outputs[0].address,
      orphaned: old.hash,
      orphaned_recipient: old.coinbase.outputs[0].address,
    };
  });

  define('sim_undoreorg', 'sim_undoreorg', (p) => {
    p.arity(0, 0);
    const tip = simRange(() => chain.undoReorg());
    return { height: tip.height, hash: tip.hash };
  });

  define('sim_rewind', 'sim_rewind height', (p) => {
    p.arity(1, 1);
    const tip = simRange(() => chain.rewind(p.int(0)));
    return { height: tip.height, hash: tip.hash };
  });

  define('sim_catchup', 'sim_catchup', (p) => {
    p.arity(0, 0);
    const tip = simRange(() => chain.catchUp());
    return { height: tip.height, hash: tip.hash };
  });

  define('sim_settiptime', 'sim_settiptime unixtime', (p) => {
    p.arity(1, 1);
    const block = chain.setTipTime(p.int(0));
    return { height: block.height, hash: block.hash, time: block.header.time };
  });

  define('sim_latency', 'sim_latency ms ( "method" )', (p) => {
    p.arity(1, 2);
    const ms = Math.max(0, p.num(0));
    if (p.has(1)) {
      if (ms === 0) faults.methodLatencyMs.delete(p.str(1));
      else faults.methodLatencyMs.set(p.str(1), ms);
    } else {
      faults.latencyMs = ms;
    }
    return faults.describe();
  });

  define('sim_failrate', 'sim_failrate "method" rate ( code "message" )', (p) => {
    p.arity(2, 4);
    const method = p.str(0);
    const rate = p.num(1);
    if (rate < 0 || rate > 1)
      throw new RpcError(RpcCode.INVALID_PARAMETER, 'rate must be in [0, 1]');
    if (rate === 0) faults.failRates.delete(method);
    else
      faults.failRates.set(
        method,
        SimFaults.rule(rate, p.has(2) ? p.int(2) : undefined, p.has(3) ? p.str(3) : undefined),
      );
    return faults.describe();
  });

  define('sim_busy', 'sim_busy "method" count', (p) => {
    p.arity(2, 2);
    const method = p.str(0);
    const count = p.int(1);
    if (count <= 0) faults.busy.delete(method);
    else faults.busy.set(method, count);
    return faults.describe();
  });

  define('sim_failnext', 'sim_failnext "method" count ( code "message" )', (p) => {
    p.arity(2, 4);
    const method = p.str(0);
    const count = p.int(1);
    if (count <= 0) faults.failNext.delete(method);
    else {
      const rule = SimFaults.rule(
        1,
        p.has(2) ? p.int(2) : undefined,
        p.has(3) ? p.str(3) : undefined,
      );
      faults.failNext.set(method, { ...rule, count });
    }
    return faults.describe();
  });

  define('sim_losereply', 'sim_losereply ( "method" count )', (p) => {
    p.arity(0, 2);
    const method = p.optStr(0, 'sendmany');
    const count = p.optInt(1, 1);
    if (count <= 0) faults.loseReplies.delete(method);
    else faults.loseReplies.set(method, count);
    return faults.describe();
  });

  define('sim_errorafter', 'sim_errorafter "method" ( code "message" count )', (p) => {
    p.arity(1, 4);
    const method = p.str(0);
    const count = p.optInt(3, 1);
    if (count <= 0) faults.errorsAfter.delete(method);
    else {
      faults.errorsAfter.set(method, {
        ...SimFaults.rule(1, p.has(1) ? p.int(1) : -4, p.has(2) ? p.str(2) : undefined),
        count,
      });
    }
    return faults.describe();
  });

  define('sim_runlate', 'sim_runlate "method" ms ( count )', (p) => {
    p.arity(2, 3);
    const method = p.str(0);
    const afterMs = p.int(1);
    const count = p.optInt(2, 1);
    if (count <= 0 || afterMs <= 0) faults.runLate.delete(method);
    else faults.runLate.set(method, { afterMs, count });
    return faults.describe();
  });

  define('sim_conflict', 'sim_conflict "txid"', (p) => {
    p.arity(1, 1);
    // A transaction spending the same coins is mined: the send is conflicted (negative
    // confirmations) and its coins are the wallet's again.
    const send = wallet.conflict(parseHash(p.str(0), 'txid'));
    ctx.control.changed();
    return { txid: send.txid, confirmations: wallet.sendConfirmations(send) };
  });

  define('sim_unmine', 'sim_unmine "txid"', (p) => {
    p.arity(1, 1);
    // A reorganisation takes away the block holding the send, the new chain does not carry it:
    // 0 confirmations again (in the mempool, not conflicted), mined again by the next block.
    const send = wallet.unmine(parseHash(p.str(0), 'txid'));
    ctx.control.changed();
    return { txid: send.txid, confirmations: wallet.sendConfirmations(send) };
  });

  define('sim_dropcomment', 'sim_dropcomment ( count )', (p) => {
    p.arity(0, 1);
    wallet.dropNextComments = Math.max(0, p.optInt(0, 1));
    return { drop_next_comments: wallet.dropNextComments };
  });

  define('sim_zapcomments', 'sim_zapcomments', (p) => {
    p.arity(0, 0);
    // As after -zapwallettxes or a restore and rescan: the sends stay, their comments are gone.
    return { zapped: wallet.zapComments() };
  });

  define('sim_hidesends', 'sim_hidesends ( count )', (p) => {
    p.arity(0, 1);
    // The next sends commit, but the wallet does not list them (lost records) until sim_rescan.
    wallet.hideNextSends = Math.max(0, p.optInt(0, 1));
    return { hide_next_sends: wallet.hideNextSends };
  });

  define('sim_maxoutputs', 'sim_maxoutputs count', (p) => {
    p.arity(1, 1);
    // A sendmany with more outputs fails "Transaction too large" (0: no limit).
    wallet.maxSendOutputs = Math.max(0, p.int(0));
    return { max_send_outputs: wallet.maxSendOutputs };
  });

  define('sim_refuseaddress', 'sim_refuseaddress "address" ( refuse )', (p) => {
    p.arity(1, 2);
    const address = p.str(0);
    if (p.has(1) && !p.bool(1)) wallet.refusedAddresses.delete(address);
    else wallet.refusedAddresses.add(address);
    return { refused: [...wallet.refusedAddresses] };
  });

  define('sim_rescan', 'sim_rescan', (p) => {
    p.arity(0, 0);
    return { found: wallet.rescan() };
  });

  define('sim_down', 'sim_down ( seconds )', (p) => {
    p.arity(0, 1);
    const seconds = Math.max(0, p.optNum(0, 0));
    ctx.control.goDownAfterReply(seconds);
    return {
      down_seconds: seconds,
      until: seconds > 0 ? 'timer' : 'told (SIGUSR2 or handle.goUp())',
    };
  });

  define('sim_lockwallet', 'sim_lockwallet ( locked )', (p) => {
    p.arity(0, 1);
    wallet.locked = p.optBool(0, true);
    return { locked: wallet.locked };
  });

  define('sim_insufficientfunds', 'sim_insufficientfunds ( on )', (p) => {
    p.arity(0, 1);
    wallet.insufficientFunds = p.optBool(0, true);
    return { insufficient_funds: wallet.insufficientFunds };
  });

  define('sim_fund', 'sim_fund amount ( "comment" )', (p) => {
    p.arity(1, 2);
    const receive = wallet.fund(amountFromValue(p.values[0]), p.optStr(1, ''));
    ctx.control.changed();
    return receive.txid;
  });

  define('sim_blockseconds', 'sim_blockseconds seconds', (p) => {
    p.arity(1, 1);
    const seconds = p.num(0);
    if (seconds < 0) throw new RpcError(RpcCode.INVALID_PARAMETER, 'seconds must be >= 0');
    ctx.control.setBlockSeconds(seconds);
    return { block_seconds: seconds };
  });

  define('sim_networktarget', 'sim_networktarget "target"', (p) => {
    p.arity(1, 1);
    const target = p.str(0).toLowerCase();
    if (!isHex64(target)) throw new RpcError(RpcCode.INVALID_PARAMETER, 'target must be 64 hex');
    chain.networkTarget = target;
    ctx.control.changed();
    return { network_target: target };
  });

  define('sim_resetfaults', 'sim_resetfaults', (p) => {
    p.arity(0, 0);
    faults.reset();
    wallet.locked = false;
    wallet.insufficientFunds = false;
    return faults.describe();
  });

  define('sim_status', 'sim_status', (p) => {
    p.arity(0, 0);
    const balances = wallet.balances();
    return {
      network: chain.network,
      height: chain.height,
      tip: chain.tip.hash,
      tip_time: chain.tip.header.time,
      network_target: chain.networkTarget,
      block_seconds: ctx.control.blockSeconds(),
      pool_address: wallet.poolAddress,
      subsidy: new Coins(chain.subsidy),
      tx_fee: new Coins(wallet.settings.txFee),
      maturity: wallet.settings.maturity,
      balance: new Coins(balances.balance),
      immature_balance: new Coins(balances.immature),
      wallet_locked: wallet.locked,
      insufficient_funds: wallet.insufficientFunds,
      faults: faults.describe(),
    };
  });
}

function execBibleHash(ctx: NodeContext, p: Params): Record<string, unknown> {
  if (p.length !== 6) {
    throw new RpcError(
      RpcCode.MISC_ERROR,
      'You must specify blockhash, blocktime, prevblocktime, prevheight, and nonce.',
    );
  }
  const blockHash = p.str(1);
  const blockTime = readIntegerArgument(p.str(2));
  const prevBlockTime = readIntegerArgument(p.str(3));
  const prevHeight = readIntegerArgument(p.str(4));
  const nonce = readIntegerArgument(p.str(5));
  const result: Record<string, unknown> = { Command: 'biblehash' };
  // The node answers only the Command when an input is unusable.
  if (blockHash !== '' && blockTime > 0 && prevBlockTime > 0 && prevHeight >= 0) {
    result.BibleHash = bibleHash({ blockHash, blockTime, prevBlockTime, prevHeight, nonce });
    // Evo adds the v2 hash (src/rpc/blockchain.cpp:1778-1779 @1.4.4.8); its algorithm lives in a
    // file absent from the mirrors, so the simulator gives a stand-in the pool never reads.
    if (ctx.options.flavor === 'evo') {
      result.BibleHashV2 = bibleHash({
        blockHash,
        blockTime,
        prevBlockTime,
        prevHeight: prevHeight + 1,
        nonce,
      });
    }
  }
  return result;
}

/**
 * `exec hexblocktocoinbase` as each generation answers it (docs/FIDELITY.md): decodes the block,
 * reports its coinbase and computes the bible hash over the node's own tip (its time and height) —
 * so a block built on a stale tip reports another bible hash than the miner claimed.
 * - classic reads only params[1]; members Command … blockversion, cpid_sig_valid, cpid_legal,
 *   cpid_legality_narr, blockmessage (src/rpcblockchain.cpp:2215-2295 @1.1.3.8, :1873-1946
 *   @1.2.0.1), the CPID judged by generation.ts's rules;
 * - Evo 1.4.4 has the ABN members instead of the CPID ones (src/rpc/blockchain.cpp:2000-2042
 *   @1.4.4.8);
 * - Evo 1.4.8 wants exactly the hex and answers the separate RPC's shape, without Command
 *   (src/rpc/blockchain.cpp:2079-2087, src/rpc/rpcevo.cpp:1453-1510 @1.4.8.4).
 */
function execHexBlockToCoinbase(ctx: NodeContext, p: Params): Record<string, unknown> {
  const { chain, options } = ctx;
  const g = { flavor: options.flavor, clientVersion: options.clientVersion };
  if (evo148(g)) {
    if (p.length !== 2) {
      throw new RpcError(RpcCode.MISC_ERROR, 'You must specify the block serialization hex.');
    }
  } else {
    p.arity(2, 7);
  }
  const hex = p.str(1);
  let block;
  try {
    block = decodeBlock(hex);
  } catch (error) {
    if (error instanceof SimDecodeError)
      throw new RpcError(RpcCode.DESERIALIZATION_ERROR, 'Block decode failed');
    throw error;
  }
  const tip = chain.tip;
  const out0 = block.coinbase.outputs[0];
  const message = coinbaseMessage(block.coinbase);
  const ver = extractXml(message, 'VER');
  const biblehash = bibleHash({
    blockHash: block.hash,
    blockTime: block.header.time,
    prevBlockTime: tip.header.time,
    prevHeight: tip.height,
    nonce: block.header.nonce,
  });
  const blockversion = numericBlockVersions(g) ? blockVersionNumber(ver) : ver;
  const abn = { requiredabnweight: 0, block_abn_weight: 0, abn_passed: true };
  if (evo148(g)) {
    return {
      txid: block.txid,
      recipient: out0.address,
      biblehash,
      blockhash: block.hash,
      nonce: block.header.nonce,
      version: block.header.version,
      versionHex: block.header.version.toString(16).padStart(8, '0'),
      nTime: block.header.time,
      subsidy: wholeCoins(out0.value),
      blockversion,
      ...abn,
      blockmessage: message,
      height: tip.height + 1,
      target: chain.networkTarget,
      bits: '1e0ffff0',
      merkleroot: block.txid,
    };
  }
  const result: Record<string, unknown> = {
    Command: 'hexblocktocoinbase',
    txid: block.txid,
    recipient: out0.address,
    biblehash,
    subsidy: wholeCoins(out0.value),
    blockversion,
  };
  if (g.flavor === 'evo') {
    Object.assign(result, abn);
  } else {
    Object.assign(
      result,
      classicCpidVerdict(
        g,
        chain.network,
        tip.height,
        options.now() - block.header.time,
        block.coinbase.cpid,
      ),
    );
  }
  result.blockmessage = message;
  return result;
}

function execPinfo(ctx: NodeContext): Record<string, unknown> {
  const tip = ctx.chain.tip;
  const elapsed = ctx.options.now() - tip.header.time;
  return { Command: 'pinfo', height: tip.height, pinfo: maxNonce(elapsed), elapsed };
}

function execSubsidy(ctx: NodeContext, p: Params): Record<string, unknown> {
  const { chain } = ctx;
  const g = { flavor: ctx.options.flavor, clientVersion: ctx.options.clientVersion };
  if (p.length !== 2) throw new RpcError(RpcCode.MISC_ERROR, 'You must specify height.');
  const height = readIntegerArgument(p.str(1));
  const block = height >= 1 ? chain.at(height) : undefined;
  if (!block) return { Command: 'subsidy', error: 'block not found' };
  const out0 = block.coinbase.outputs[0];
  return {
    Command: 'subsidy',
    subsidy: wholeCoins(out0.value),
    recipient: out0.address,
    // A number from 1.2.0.1 on (src/rpcblockchain.cpp:1512-1539 @1.2.0.1).
    blockversion: numericBlockVersions(g)
      ? blockVersionNumber(extractXml(out0.message, 'VER'))
      : extractXml(out0.message, 'VER'),
    minerguid: extractXml(out0.message, 'MINERGUID'),
  };
}

function parseHash(value: string, name: string): string {
  if (value.length !== 64) {
    throw new RpcError(
      RpcCode.INVALID_PARAMETER,
      `${name} must be of length 64 (not ${value.length})`,
    );
  }
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new RpcError(
      RpcCode.INVALID_PARAMETER,
      `${name} must be hexadecimal string (not '${value}')`,
    );
  }
  return value.toLowerCase();
}

/** AmountFromValue: a JSON number or string, at most 8 decimals, inside the money range. */
export function amountFromValue(value: unknown): bigint {
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new RpcError(RpcCode.TYPE_ERROR, 'Amount is not a number or string');
  }
  let amount: bigint;
  try {
    amount = parseCoins(value);
  } catch (error) {
    if (error instanceof AmountError) throw new RpcError(RpcCode.TYPE_ERROR, error.message);
    throw error;
  }
  if (amount < 0n || amount > MAX_MONEY)
    throw new RpcError(RpcCode.TYPE_ERROR, 'Amount out of range');
  return amount;
}

function medianTime(chain: SimChain, block: ChainBlock): number {
  const times: number[] = [];
  for (let h = block.height; h >= 0 && times.length < 11; h--) {
    const at = chain.at(h);
    if (at) times.push(at.header.time);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function blockToJson(chain: SimChain, block: ChainBlock): Record<string, unknown> {
  const main = chain.isMain(block);
  const next = main ? chain.at(block.height + 1) : undefined;
  return {
    hash: block.hash,
    confirmations: chain.confirmations(block),
    size: block.hex.length / 2,
    height: block.height,
    version: block.header.version,
    merkleroot: block.txid,
    tx: [block.txid],
    time: block.header.time,
    mediantime: main ? medianTime(chain, block) : block.header.time,
    nonce: block.header.nonce,
    bits: '1e0ffff0',
    difficulty: 1,
    chainwork: (block.height + 1).toString(16).padStart(64, '0'),
    previousblockhash: block.height > 0 ? block.header.prevHash : undefined,
    nextblockhash: next?.hash,
  };
}

function blockFields(ctx: NodeContext, entry: WalletEntry): Record<string, unknown> {
  if (entry.kind === 'coinbase') {
    const block = entry.block;
    return entry.category === 'orphan'
      ? { confirmations: 0 }
      : {
          confirmations: entry.confirmations,
          generated: true,
          blockhash: block.hash,
          blockindex: 0,
          blocktime: block.header.time,
        };
  }
  if (entry.kind === 'send' && entry.conflictHeight !== undefined) {
    // Conflicted: negative confirmations, the depth of the block holding the double spend
    // (WalletTxToJSON, src/wallet/rpcwallet.cpp:62-64 @1.2.0.1, :59-63 @1.4.4.8).
    return { confirmations: ctx.wallet.sendConfirmations(entry), trusted: false };
  }
  const confirmations = ctx.wallet.confirmationsAt(entry.height);
  const block = entry.height === undefined ? undefined : ctx.chain.at(entry.height);
  if (!block || confirmations <= 0) {
    const trusted = entry.kind === 'send' && !entry.unrelayed && !entry.abandoned;
    return { confirmations: 0, trusted };
  }
  return { confirmations, blockhash: block.hash, blockindex: 1, blocktime: block.header.time };
}

function timeOf(entry: WalletEntry): number {
  return entry.kind === 'coinbase' ? entry.block.header.time : entry.time;
}

/** listtransactions rows of one wallet entry: one per output, as the node lists them. */
function listEntries(ctx: NodeContext, entry: WalletEntry): Record<string, unknown>[] {
  const common = {
    ...blockFields(ctx, entry),
    txid: entry.txid,
    walletconflicts: [],
    time: timeOf(entry),
    timereceived: timeOf(entry),
  };
  if (entry.kind === 'send') return sendRows(entry, common);
  if (entry.kind === 'receive') return [receiveRow(entry, common)];
  return [coinbaseRow(entry, common)];
}

function sendRows(send: WalletSend, common: Record<string, unknown>): Record<string, unknown>[] {
  return send.outputs.map((out) => ({
    account: '',
    address: out.address,
    category: 'send',
    amount: new Coins(-out.amount),
    vout: out.vout,
    fee: new Coins(-send.fee),
    abandoned: send.abandoned ?? false,
    ...common,
    comment: send.comment || undefined,
    to: send.commentTo || undefined,
  }));
}

function receiveRow(
  receive: WalletReceive,
  common: Record<string, unknown>,
): Record<string, unknown> {
  return {
    account: '',
    address: receive.address,
    category: 'receive',
    amount: new Coins(receive.amount),
    vout: 0,
    ...common,
    comment: receive.comment || undefined,
  };
}

function coinbaseRow(
  credit: CoinbaseCredit,
  common: Record<string, unknown>,
): Record<string, unknown> {
  return {
    account: '',
    address: credit.address,
    category: credit.category,
    amount: new Coins(credit.amount),
    vout: credit.vout,
    ...common,
  };
}

function transactionToJson(ctx: NodeContext, found: WalletEntry[]): Record<string, unknown> {
  const entry = found[0];
  const common = {
    ...blockFields(ctx, entry),
    txid: entry.txid,
    walletconflicts: [],
    time: timeOf(entry),
    timereceived: timeOf(entry),
  };
  if (entry.kind === 'send') {
    const sent = entry.outputs.reduce((sum, out) => sum + out.amount, 0n);
    return {
      amount: new Coins(-sent),
      fee: new Coins(-entry.fee),
      ...common,
      comment: entry.comment || undefined,
      to: entry.commentTo || undefined,
      details: sendRows(entry, {}).map((row) => ({ ...row, comment: undefined, to: undefined })),
    };
  }
  if (entry.kind === 'receive') {
    return {
      amount: new Coins(entry.amount),
      ...common,
      comment: entry.comment || undefined,
      details: [
        {
          account: '',
          address: entry.address,
          category: 'receive',
          amount: new Coins(entry.amount),
          vout: 0,
        },
      ],
    };
  }
  const credits = found.filter((item): item is CoinbaseCredit => item.kind === 'coinbase');
  return {
    amount: new Coins(credits.reduce((sum, credit) => sum + credit.amount, 0n)),
    ...common,
    details: credits.map((credit) => ({
      account: '',
      address: credit.address,
      category: credit.category,
      amount: new Coins(credit.amount),
      vout: credit.vout,
    })),
    hex: credits[0].block.coinbaseHex,
  };
}

/** A chain operation's RangeError as the RPC error an operator would read. */
function simRange<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof RangeError) throw new RpcError(RpcCode.INVALID_PARAMETER, error.message);
    throw error;
  }
}
