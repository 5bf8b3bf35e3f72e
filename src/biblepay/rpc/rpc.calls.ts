import { BaseUnits } from '../amount';
import { CoinsParam, DecodedJson, RpcParam } from './rpc-json';
import { RpcError, RpcErrorCode, RpcTransportError } from './rpc.errors';
import {
  BibleHashInput,
  BlockInfo,
  CoinbaseInfo,
  CoinbaseQuery,
  ListedTransaction,
  NetworkInfo,
  PinfoResult,
  SendManyOptions,
  SubmitBlockResult,
  SubsidyResult,
  ValidateAddressResult,
  WalletInfo,
  WalletTransaction,
  WalletTransactionDetail,
} from './rpc.types';

/**
 * One node call, described once and used alone or in a batch: what to send, whether it is safe
 * to send twice, which answer members are amounts, and how to check and type the answer.
 */
export interface RpcCall<T> {
  readonly method: string;
  readonly params: readonly RpcParam[];
  /** The call as the pool names it in errors and metrics: `getblock`, `exec biblehash`. */
  readonly label: string;
  /**
   * Only reads node state, so a retry cannot do anything twice. Everything else — above all
   * sendtoaddress/sendmany — is sent exactly once.
   */
  readonly readOnly: boolean;
  /** Answer members whose numbers are coin amounts, decoded to exact base units. */
  readonly amountKeys: ReadonlySet<string>;
  /** The answer itself is a coin amount (`getbalance`), decoded to exact base units. */
  readonly resultIsAmount?: boolean;
  /** Checks the answer's shape and types it; throws {@link RpcTransportError} `bad_response`. */
  decode(result: DecodedJson): T;
}

export type RpcCallResult<C> = C extends RpcCall<infer T> ? T : never;

const NO_AMOUNTS: ReadonlySet<string> = new Set();
const HEX64 = /^[0-9a-fA-F]{64}$/;

function call<T>(
  method: string,
  params: readonly RpcParam[],
  readOnly: boolean,
  decode: (result: DecodedJson, read: ResultReader) => T,
  amountKeys: ReadonlySet<string> = NO_AMOUNTS,
  label = method,
): RpcCall<T> {
  return {
    method,
    params,
    label,
    readOnly,
    amountKeys,
    decode: (result) => decode(result, new ResultReader(label)),
  };
}

/**
 * `exec <command> …`: BiblePay's pool commands read every parameter with get_str(). A node that
 * does not know the command answers a plain result, not a JSON-RPC error: classic
 * `{"Command":c,"Error":"Unknown command: c"}` (src/rpcblockchain.cpp:1392,3443 @1.2.0.1), Evo
 * `{"Command":c,"Error":"Command not found"}` (src/rpc/blockchain.cpp:1752,2998 @1.4.4.8). That is
 * not the answer asked for (`bad_response`, not retried), never a verdict on a share.
 */
function exec<T>(
  command: string,
  args: readonly string[],
  decode: (result: DecodedJson, read: ResultReader) => T,
  amountKeys?: ReadonlySet<string>,
): RpcCall<T> {
  const label = `exec ${command}`;
  return call(
    'exec',
    [command, ...args],
    true,
    (result, read) => {
      const unknown = unknownCommandText(result, command);
      if (unknown !== undefined) {
        throw new RpcTransportError(
          label,
          'bad_response',
          `the node does not know exec ${command}: ${unknown}`,
        );
      }
      return decode(result, read);
    },
    amountKeys,
    label,
  );
}

/** The node's own text when `result` is its answer to an exec command it does not know. */
function unknownCommandText(result: DecodedJson, command: string): string | undefined {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return undefined;
  const text = result.Error;
  return text === `Unknown command: ${command}` || text === 'Command not found' ? text : undefined;
}

/** Factories for every call of docs/PROTOCOL.md §2; pass them to `client.call()` or `client.batch()`. */
export const rpcCalls = {
  /** `exec biblehash`: the node's proof-of-bible-hash of a block (64 hex). */
  bibleHash(input: BibleHashInput): RpcCall<string> {
    const args = [
      input.blockHash,
      String(input.blockTime),
      String(input.prevBlockTime),
      String(input.prevHeight),
      String(input.nonce),
    ];
    return exec('biblehash', args, (result, read) => {
      const o = read.object(result);
      // The node answers only {"Command"} when it cannot use the inputs: a "no", not a glitch.
      if (o.BibleHash === undefined) {
        throw new RpcError(
          'exec biblehash',
          RpcErrorCode.MISC_ERROR,
          'no BibleHash for these inputs',
        );
      }
      return read.hex64(o, 'BibleHash');
    });
  },

  /**
   * `exec hexblocktocoinbase <blockhex>`: recipient, bible hash and subsidy of a miner's block.
   * Exactly the block hex: classic and Evo 1.4.4 read only params[1] (src/rpcblockchain.cpp:1875
   * @1.2.0.1, src/rpc/blockchain.cpp:2000-2042 @1.4.4.8), Evo 1.4.8 refuses any other arity with -1
   * "You must specify the block serialization hex." (src/rpc/blockchain.cpp:2081-2082 @1.4.8.4) and
   * then answers without `Command` (src/rpc/rpcevo.cpp:1453-1510 @1.4.8.4). CPID members only come
   * from classic nodes; Evo adds the ABN members.
   */
  hexBlockToCoinbase(query: CoinbaseQuery): RpcCall<CoinbaseInfo> {
    return exec(
      'hexblocktocoinbase',
      [query.blockHex],
      (result, read) => {
        const o = read.object(result);
        return {
          ...optional('Command', read.optString(o, 'Command')),
          txid: read.string(o, 'txid'),
          recipient: read.string(o, 'recipient'),
          biblehash: read.string(o, 'biblehash'),
          subsidy: read.amount(o, 'subsidy'),
          blockversion: read.stringOrNumber(o, 'blockversion'),
          ...optional('blockmessage', read.optString(o, 'blockmessage')),
          ...optional('cpid_sig_valid', read.optBoolean(o, 'cpid_sig_valid')),
          ...optional('cpid_legal', read.optBoolean(o, 'cpid_legal')),
          ...optional('cpid_legality_narr', read.optString(o, 'cpid_legality_narr')),
          ...optional('abn_passed', read.optBoolean(o, 'abn_passed')),
          ...optional('height', read.optNumber(o, 'height')),
        };
      },
      new Set(['subsidy']),
    );
  },

  /** `exec pinfo`: tip height and the largest nonce the node accepts now. */
  pinfo(): RpcCall<PinfoResult> {
    return exec('pinfo', [], (result, read) => {
      const o = read.object(result);
      return {
        Command: read.string(o, 'Command'),
        height: read.integer(o, 'height'),
        pinfo: read.integer(o, 'pinfo'),
        elapsed: read.integer(o, 'elapsed'),
      };
    });
  },

  /** `exec subsidy <height>`: who a block paid and how much, or "block not found". */
  subsidy(height: number): RpcCall<SubsidyResult> {
    return exec(
      'subsidy',
      [String(height)],
      (result, read): SubsidyResult => {
        const o = read.object(result);
        const error = read.optString(o, 'error');
        if (error !== undefined) {
          if (error.toLowerCase() === 'block not found') return { found: false, height };
          // Any other text in place of a result is the node saying no, in its own way.
          throw new RpcError('exec subsidy', RpcErrorCode.MISC_ERROR, error);
        }
        return {
          found: true,
          height,
          subsidy: read.amount(o, 'subsidy'),
          recipient: read.string(o, 'recipient'),
          blockversion: read.stringOrNumber(o, 'blockversion'),
          minerguid: read.string(o, 'minerguid'),
        };
      },
      new Set(['subsidy']),
    );
  },

  getBlockCount(): RpcCall<number> {
    return call('getblockcount', [], true, (result, read) => read.integerValue(result));
  },

  /** RPC error -8 "Block height out of range" above the tip. */
  getBlockHash(height: number): RpcCall<string> {
    return call('getblockhash', [height], true, (result, read) => read.hex64Value(result));
  },

  /** `getblock <hash> false`: the serialized block (hex); -5 "Block not found" for an unknown hash. */
  getBlockHex(hash: string): RpcCall<string> {
    return call('getblock', [hash, false], true, (result, read) => read.stringValue(result));
  },

  /** RPC error -5 "Block not found" for an unknown hash. */
  getBlock(hash: string): RpcCall<BlockInfo> {
    return call('getblock', [hash], true, (result, read) => {
      const o = read.object(result);
      return {
        hash: read.string(o, 'hash'),
        confirmations: read.integer(o, 'confirmations'),
        height: read.integer(o, 'height'),
        time: read.integer(o, 'time'),
        ...optional('previousblockhash', read.optString(o, 'previousblockhash')),
        ...optional('nextblockhash', read.optString(o, 'nextblockhash')),
        ...optional('version', read.optNumber(o, 'version')),
        ...optional('merkleroot', read.optString(o, 'merkleroot')),
        ...optional('tx', read.optStringArray(o, 'tx')),
        ...optional('nonce', read.optNumber(o, 'nonce')),
        ...optional('bits', read.optString(o, 'bits')),
        ...optional('difficulty', read.optNumber(o, 'difficulty')),
        ...optional('mediantime', read.optNumber(o, 'mediantime')),
        ...optional('size', read.optNumber(o, 'size')),
      };
    });
  },

  /**
   * `getnetworkinfo`: `version` is the node's CLIENT_VERSION (1020001 for 1.2.0.1, 1040408 for
   * 1.4.4.8), which tells the generation (node-flavor.ts). src/rpcnet.cpp:499 @1.2.0.1,
   * src/rpc/net.cpp:438 @1.4.4.8.
   */
  getNetworkInfo(): RpcCall<NetworkInfo> {
    return call('getnetworkinfo', [], true, (result, read) => {
      const o = read.object(result);
      return {
        version: read.integer(o, 'version'),
        ...optional('subversion', read.optString(o, 'subversion')),
        ...optional('protocolversion', read.optNumber(o, 'protocolversion')),
      };
    });
  },

  /**
   * `getbalance "<account>" minconf`: GetAccountBalance — what `sendmany "<account>"` may spend
   * (src/wallet/rpcwallet.cpp:854-927 and the account check :1177-1179 @1.2.0.1; :768 @1.4.4.8).
   * Coins received on a labelled address count for that label's account, not for "".
   */
  getBalance(account: string, minconf: number): RpcCall<BaseUnits> {
    return {
      ...call('getbalance', [account, minconf], true, (result, read) => read.amountValue(result)),
      resultIsAmount: true,
    };
  },

  getWalletInfo(): RpcCall<WalletInfo> {
    return call(
      'getwalletinfo',
      [],
      true,
      (result, read) => {
        const o = read.object(result);
        return {
          balance: read.amount(o, 'balance'),
          unconfirmed_balance: read.amount(o, 'unconfirmed_balance'),
          immature_balance: read.amount(o, 'immature_balance'),
          ...optional('walletversion', read.optNumber(o, 'walletversion')),
          ...optional('txcount', read.optNumber(o, 'txcount')),
          ...optional('keypoolsize', read.optNumber(o, 'keypoolsize')),
          ...optional('unlocked_until', read.optNumber(o, 'unlocked_until')),
          ...optional('paytxfee', read.optAmount(o, 'paytxfee')),
        };
      },
      new Set(['balance', 'unconfirmed_balance', 'immature_balance', 'paytxfee']),
    );
  },

  /**
   * `sendtoaddress`. Moves money: never retried. Errors: -6 insufficient funds, -13 wallet
   * locked, -5 invalid address.
   */
  sendToAddress(
    address: string,
    amount: BaseUnits,
    comment = '',
    commentTo = '',
    subtractFee = false,
  ): RpcCall<string> {
    requirePositive(amount, address);
    return call(
      'sendtoaddress',
      [address, new CoinsParam(amount), comment, commentTo, subtractFee],
      false,
      (result, read) => read.hex64Value(result),
    );
  },

  /**
   * `sendmany "" {addr: amount} minconf …`, laid out for the node's generation. Moves money: never
   * retried. Classic: `minconf "comment" [subtractfeefrom]` (src/wallet/rpcwallet.cpp:1082-1090,
   * :1134-1138 @1.2.0.1). Evo puts `addlocked` (a boolean) before the comment: `minconf addlocked
   * "comment" [subtractfeefrom]` (src/wallet/rpcwallet.cpp:977-984, :1029-1038 @1.4.4.8; :1091-1100
   * @1.4.8.4); a string there is -1 "JSON value is not a boolean as expected".
   */
  sendMany(
    amounts: ReadonlyMap<string, BaseUnits> | Readonly<Record<string, BaseUnits>>,
    options: SendManyOptions = {},
  ): RpcCall<string> {
    const entries: [string, BaseUnits][] = isMap(amounts) ? [...amounts] : Object.entries(amounts);
    if (entries.length === 0) throw new RangeError('sendmany needs at least one recipient');
    const outputs: Record<string, RpcParam> = {};
    for (const [address, amount] of entries) {
      requirePositive(amount, address);
      outputs[address] = new CoinsParam(amount);
    }
    const subtractFeeFrom = options.subtractFeeFrom ?? [];
    for (const address of subtractFeeFrom) {
      // The node silently ignores an address that is not a recipient, and the pool pays the fee.
      if (!Object.hasOwn(outputs, address)) {
        throw new RangeError(`subtractFeeFrom ${address} is not a recipient of this sendmany`);
      }
    }
    const params: RpcParam[] = ['', outputs, options.minconf ?? 1];
    if ((options.flavor ?? 'classic') === 'evo') params.push(false);
    params.push(options.comment ?? '');
    if (subtractFeeFrom.length > 0) params.push([...subtractFeeFrom]);
    return call('sendmany', params, false, (result, read) => read.hex64Value(result));
  },

  /** RPC error -5 "Invalid or non-wallet transaction id" for a txid the wallet does not know. */
  getTransaction(txid: string): RpcCall<WalletTransaction> {
    return call(
      'gettransaction',
      [txid],
      true,
      (result, read) => decodeTransaction(result, read),
      TX_AMOUNTS,
    );
  },

  /** Newest `count` wallet transactions after skipping `skip`, oldest first (node order). */
  listTransactions(count = 10, skip = 0): RpcCall<ListedTransaction[]> {
    return call(
      'listtransactions',
      ['*', count, skip],
      true,
      (result, read) => read.array(result).map((entry) => decodeListed(entry, read)),
      TX_AMOUNTS,
    );
  },

  validateAddress(address: string): RpcCall<ValidateAddressResult> {
    return call('validateaddress', [address], true, (result, read) => {
      const o = read.object(result);
      return {
        isvalid: read.boolean(o, 'isvalid'),
        ...optional('address', read.optString(o, 'address')),
        ...optional('scriptPubKey', read.optString(o, 'scriptPubKey')),
        ...optional('ismine', read.optBoolean(o, 'ismine')),
        ...optional('iswatchonly', read.optBoolean(o, 'iswatchonly')),
        ...optional('isscript', read.optBoolean(o, 'isscript')),
        ...optional('pubkey', read.optString(o, 'pubkey')),
        ...optional('iscompressed', read.optBoolean(o, 'iscompressed')),
        ...optional('account', read.optString(o, 'account')),
      };
    });
  },

  /**
   * `submitblock`. Not retried by the client (it is not a read), but safe for a caller to repeat:
   * the node answers "duplicate" for a block it already has.
   */
  submitBlock(blockHex: string): RpcCall<SubmitBlockResult> {
    return call('submitblock', [blockHex], false, (result, read): SubmitBlockResult => {
      if (result === null) return { accepted: true };
      return { accepted: false, reason: read.stringValue(result) };
    });
  },

  /**
   * Any other method, answer untyped (numbers as JS numbers). Not retried unless `readOnly` is
   * set: only set it for calls that change nothing on the node.
   */
  raw(method: string, params: readonly RpcParam[] = [], readOnly = false): RpcCall<DecodedJson> {
    return call(method, params, readOnly, (result) => result);
  },
};

const TX_AMOUNTS: ReadonlySet<string> = new Set(['amount', 'fee']);

function decodeTransaction(result: DecodedJson, read: ResultReader): WalletTransaction {
  const o = read.object(result);
  return {
    txid: read.string(o, 'txid'),
    amount: read.amount(o, 'amount'),
    ...optional('fee', read.optAmount(o, 'fee')),
    confirmations: read.integer(o, 'confirmations'),
    ...optional('blockhash', read.optString(o, 'blockhash')),
    ...optional('blockindex', read.optNumber(o, 'blockindex')),
    ...optional('blocktime', read.optNumber(o, 'blocktime')),
    time: read.integer(o, 'time'),
    timereceived: read.integer(o, 'timereceived'),
    ...optional('comment', read.optString(o, 'comment')),
    ...optional('to', read.optString(o, 'to')),
    ...optional('generated', read.optBoolean(o, 'generated')),
    ...optional('abandoned', read.optBoolean(o, 'abandoned')),
    details: read.array(o.details ?? []).map((d): WalletTransactionDetail => {
      const detail = read.object(d);
      return {
        category: read.string(detail, 'category'),
        amount: read.amount(detail, 'amount'),
        ...optional('address', read.optString(detail, 'address')),
        ...optional('account', read.optString(detail, 'account')),
        ...optional('label', read.optString(detail, 'label')),
        ...optional('vout', read.optNumber(detail, 'vout')),
        ...optional('fee', read.optAmount(detail, 'fee')),
        ...optional('abandoned', read.optBoolean(detail, 'abandoned')),
      };
    }),
    ...optional('hex', read.optString(o, 'hex')),
  };
}

function decodeListed(entry: DecodedJson, read: ResultReader): ListedTransaction {
  const o = read.object(entry);
  return {
    category: read.string(o, 'category'),
    amount: read.amount(o, 'amount'),
    ...optional('txid', read.optString(o, 'txid')),
    ...optional('address', read.optString(o, 'address')),
    ...optional('account', read.optString(o, 'account')),
    ...optional('label', read.optString(o, 'label')),
    ...optional('vout', read.optNumber(o, 'vout')),
    ...optional('fee', read.optAmount(o, 'fee')),
    ...optional('confirmations', read.optNumber(o, 'confirmations')),
    ...optional('blockhash', read.optString(o, 'blockhash')),
    ...optional('blockindex', read.optNumber(o, 'blockindex')),
    ...optional('blocktime', read.optNumber(o, 'blocktime')),
    time: read.integer(o, 'time'),
    ...optional('timereceived', read.optNumber(o, 'timereceived')),
    ...optional('comment', read.optString(o, 'comment')),
    ...optional('to', read.optString(o, 'to')),
    ...optional('generated', read.optBoolean(o, 'generated')),
    ...optional('abandoned', read.optBoolean(o, 'abandoned')),
  };
}

function isMap<K, V>(value: ReadonlyMap<K, V> | object): value is ReadonlyMap<K, V> {
  return value instanceof Map;
}

function requirePositive(amount: BaseUnits, address: string): void {
  // The node refuses these too (-3 "Invalid amount for send"); failing here keeps it off the wire.
  if (amount <= 0n) throw new RangeError(`amount for ${address} must be positive, got ${amount}`);
}

/** `{ [key]: value }` when the node sent the member, `{}` when it did not. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

type DecodedObject = { [key: string]: DecodedJson };

/** An optional member the node left out or sent as null. */
function absent(value: DecodedJson | undefined): boolean {
  return value === undefined || value === null;
}

/** Shape checks for one call's answer; every failure is a `bad_response` naming the member. */
class ResultReader {
  constructor(private readonly label: string) {}

  private bad(detail: string): never {
    throw new RpcTransportError(this.label, 'bad_response', detail);
  }

  object(value: DecodedJson): DecodedObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return this.bad('expected an object');
    }
    return value;
  }

  array(value: DecodedJson): DecodedJson[] {
    return Array.isArray(value) ? value : this.bad('expected an array');
  }

  string(o: DecodedObject, key: string): string {
    const v = o[key];
    return typeof v === 'string' ? v : this.bad(`${key} missing or not a string`);
  }

  optString(o: DecodedObject, key: string): string | undefined {
    return absent(o[key]) ? undefined : this.string(o, key);
  }

  stringValue(value: DecodedJson): string {
    return typeof value === 'string' ? value : this.bad('expected a string');
  }

  hex64(o: DecodedObject, key: string): string {
    const v = this.string(o, key);
    return HEX64.test(v) ? v : this.bad(`${key} is not 64 hex characters`);
  }

  hex64Value(value: DecodedJson): string {
    const v = this.stringValue(value);
    return HEX64.test(v) ? v : this.bad('expected 64 hex characters');
  }

  optStringArray(o: DecodedObject, key: string): string[] | undefined {
    if (absent(o[key])) return undefined;
    return this.array(o[key]).map((item) =>
      typeof item === 'string' ? item : this.bad(`${key} holds a non-string`),
    );
  }

  number(o: DecodedObject, key: string): number {
    const v = o[key];
    return typeof v === 'number' ? v : this.bad(`${key} missing or not a number`);
  }

  optNumber(o: DecodedObject, key: string): number | undefined {
    return absent(o[key]) ? undefined : this.number(o, key);
  }

  integer(o: DecodedObject, key: string): number {
    const v = this.number(o, key);
    return Number.isSafeInteger(v) ? v : this.bad(`${key} is not an integer`);
  }

  integerValue(value: DecodedJson): number {
    return typeof value === 'number' && Number.isSafeInteger(value)
      ? value
      : this.bad('expected an integer');
  }

  stringOrNumber(o: DecodedObject, key: string): string | number {
    const v = o[key];
    return typeof v === 'string' || typeof v === 'number'
      ? v
      : this.bad(`${key} missing or not a string or number`);
  }

  boolean(o: DecodedObject, key: string): boolean {
    const v = o[key];
    return typeof v === 'boolean' ? v : this.bad(`${key} missing or not a boolean`);
  }

  optBoolean(o: DecodedObject, key: string): boolean | undefined {
    return absent(o[key]) ? undefined : this.boolean(o, key);
  }

  /** A member listed in the call's `amountKeys`, already exact base units. */
  amount(o: DecodedObject, key: string): BaseUnits {
    const v = o[key];
    return typeof v === 'bigint' ? v : this.bad(`${key} missing or not an amount`);
  }

  amountValue(value: DecodedJson): BaseUnits {
    return typeof value === 'bigint' ? value : this.bad('expected an amount');
  }

  optAmount(o: DecodedObject, key: string): BaseUnits | undefined {
    return absent(o[key]) ? undefined : this.amount(o, key);
  }
}
