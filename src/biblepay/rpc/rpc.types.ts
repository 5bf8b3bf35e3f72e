import { BaseUnits } from '../amount';
import type { NodeFlavor } from '../node-flavor';
import { RpcError, RpcTransportError } from './rpc.errors';

/*
 * Results of the node calls the pool makes (docs/PROTOCOL.md §2), with the node's own member names.
 * Amounts are exact base units (bigint), converted from the node's coin numbers without a float.
 * A member is optional where a real node of some version omits it.
 */

/** `exec biblehash …` as the node answers it; the client returns just `BibleHash`. */
export interface BibleHashResult {
  Command: string;
  BibleHash: string;
}

/** The five inputs of `exec biblehash`, as found in a solution string. */
export interface BibleHashInput {
  blockHash: string;
  blockTime: number | string;
  prevBlockTime: number | string;
  prevHeight: number | string;
  nonce: number | string;
}

/**
 * `exec hexblocktocoinbase <blockhex>`: what the node reads from a miner's block. Members as each
 * generation writes them (docs/FIDELITY.md): classic adds the CPID members, Evo the ABN ones, Evo
 * 1.4.8 leaves out `Command`.
 */
export interface CoinbaseInfo {
  Command?: string;
  /** Hash of the coinbase transaction. */
  txid: string;
  /** Address paid by coinbase output 0: must be the pool's. */
  recipient: string;
  /** The node's bible hash of the block, recomputed against its current tip. */
  biblehash: string;
  /**
   * Value of coinbase output 0 in base units. The node sends `nValue / COIN` as an integer, so
   * this is whole coins (fraction dropped), not the exact output value.
   */
  subsidy: BaseUnits;
  /** Wallet version that built the block: "1.0.8.9" on old nodes, a number (1193) on later ones. */
  blockversion: string | number;
  /** Concatenated output messages (where the wallet puts `<MINERGUID>`); missing on old nodes. */
  blockmessage?: string;
  /** PODC-era nodes (2018) only: is the CPID signature in the block valid … */
  cpid_sig_valid?: boolean;
  /** … and is that CPID allowed to mine; with the node's explanation. */
  cpid_legal?: boolean;
  cpid_legality_narr?: string;
  /** Evo: does the block carry the required anti-bot-net weight. */
  abn_passed?: boolean;
  /** Evo 1.4.8: the height the block would have (tip + 1). */
  height?: number;
}

/** `getnetworkinfo`, the members the pool reads. */
export interface NetworkInfo {
  /** CLIENT_VERSION: 1020001 = 1.2.0.1 (classic), 1040408 = 1.4.4.8 (Evo). */
  version: number;
  subversion?: string;
  protocolversion?: number;
}

/** Input of one `exec hexblocktocoinbase`: field 14 of a solution (no node reads the tx hex). */
export interface CoinbaseQuery {
  blockHex: string;
}

/** `exec pinfo`. */
export interface PinfoResult {
  Command: string;
  /** Height of the node's tip. */
  height: number;
  /** Largest nonce the node accepts now: max(512, elapsed * 256), 999999999 after 30 min. */
  pinfo: number;
  /** Seconds since the tip's block time. */
  elapsed: number;
}

/** `exec subsidy <height>`: "block not found" (above the tip, or below 1) is a result, not an error. */
export type SubsidyResult =
  | {
      found: true;
      height: number;
      /** Coinbase output 0 in base units; whole coins, the node drops the fraction. */
      subsidy: BaseUnits;
      /** Address paid by coinbase output 0. */
      recipient: string;
      blockversion: string | number;
      /** `<MINERGUID>` the miner put in the coinbase; empty when the block has none. */
      minerguid: string;
    }
  | { found: false; height: number };

/** `getblock <hash>` (verbose). */
export interface BlockInfo {
  hash: string;
  /** -1 when the block is no longer on the main chain (orphaned by a reorg). */
  confirmations: number;
  height: number;
  /** Block time, unix seconds. */
  time: number;
  /** Missing on the genesis block. */
  previousblockhash?: string;
  /** Missing on the tip. */
  nextblockhash?: string;
  version?: number;
  merkleroot?: string;
  /** Transaction ids, coinbase first. */
  tx?: string[];
  nonce?: number;
  bits?: string;
  difficulty?: number;
  mediantime?: number;
  size?: number;
}

/** `getwalletinfo`. */
export interface WalletInfo {
  /** Spendable, confirmed. */
  balance: BaseUnits;
  unconfirmed_balance: BaseUnits;
  /** Coinbase not yet 101 confirmations deep. */
  immature_balance: BaseUnits;
  walletversion?: number;
  txcount?: number;
  keypoolsize?: number;
  /** Unix time the wallet locks again; 0 = locked; missing = not encrypted. */
  unlocked_until?: number;
  /** Fee rate per kB set with settxfee, in base units. */
  paytxfee?: BaseUnits;
}

/**
 * Wallet transaction categories: send, receive, generate (mature coinbase), immature, orphan
 * (coinbase of a block that left the chain), move (old account system, no txid).
 */
export type TransactionCategory = string;

/** One output of `gettransaction` `details`. Amounts are negative for sends. */
export interface WalletTransactionDetail {
  category: TransactionCategory;
  amount: BaseUnits;
  address?: string;
  account?: string;
  label?: string;
  vout?: number;
  /** Negative, on send details only. */
  fee?: BaseUnits;
  abandoned?: boolean;
}

/** `gettransaction <txid>`. */
export interface WalletTransaction {
  txid: string;
  /** Net effect on the wallet: negative for a payment we sent. */
  amount: BaseUnits;
  /** Negative, on sends only. */
  fee?: BaseUnits;
  /** 0 in the mempool; negative when conflicted. */
  confirmations: number;
  blockhash?: string;
  blockindex?: number;
  blocktime?: number;
  time: number;
  timereceived: number;
  comment?: string;
  to?: string;
  generated?: boolean;
  abandoned?: boolean;
  details: WalletTransactionDetail[];
  hex?: string;
}

/** One entry of `listtransactions`. */
export interface ListedTransaction {
  category: TransactionCategory;
  amount: BaseUnits;
  /** Missing on `move` entries of the old account system. */
  txid?: string;
  address?: string;
  account?: string;
  label?: string;
  vout?: number;
  fee?: BaseUnits;
  confirmations?: number;
  blockhash?: string;
  blockindex?: number;
  blocktime?: number;
  time: number;
  timereceived?: number;
  comment?: string;
  to?: string;
  generated?: boolean;
  abandoned?: boolean;
}

/** `validateaddress <addr>`. Everything but `isvalid` is missing for an invalid address. */
export interface ValidateAddressResult {
  isvalid: boolean;
  address?: string;
  scriptPubKey?: string;
  ismine?: boolean;
  iswatchonly?: boolean;
  isscript?: boolean;
  pubkey?: string;
  iscompressed?: boolean;
  account?: string;
}

/**
 * `submitblock <hex>`: the node answers null when it took the block, else a reason such as
 * "duplicate", "inconclusive", "rejected" or a validation code like "high-hash".
 */
export type SubmitBlockResult = { accepted: true } | { accepted: false; reason: string };

/** Options of `sendmany`. */
export interface SendManyOptions {
  /** Spend only coins with this many confirmations (node default 1). */
  minconf?: number;
  /** Stored in the wallet with the transaction; use it to find the payment when reconciling. */
  comment?: string;
  /** Recipients whose amounts pay the fee, split equally. Each must be one of the recipients. */
  subtractFeeFrom?: readonly string[];
  /** The node's generation: Evo takes a boolean `addlocked` before the comment. Default classic. */
  flavor?: NodeFlavor;
}

/** One call's outcome inside a batch, in request order. */
export type BatchOutcome<T> =
  { ok: true; value: T } | { ok: false; error: RpcError | RpcTransportError };
