import { randomBytes } from 'node:crypto';
import bs58check from 'bs58check';
import { isValidAddress } from '../../src/biblepay/address';
import { doubleSha256Hex } from '../chain/hash';
import { ChainBlock, SimChain } from './chain';
import { RpcCode, RpcError } from './rpc-error';

/** Money the wallet sent: one transaction, one or more outputs, one fee. */
export interface WalletSend {
  kind: 'send';
  txid: string;
  seq: number;
  time: number;
  /** What each recipient receives (after its share of the fee when the fee is subtracted). */
  outputs: { address: string; amount: bigint; vout: number }[];
  fee: bigint;
  comment: string;
  commentTo: string;
  /** Height of the block that confirmed it; undefined while in the mempool. */
  height?: number;
  /** Committed, but missing from the wallet's lists until a rescan (`sim_hidesends`). */
  hidden?: boolean;
  /**
   * Stored by the wallet but refused by the mempool (a `-4` after CommitTransaction's AddToWallet,
   * src/wallet/wallet.cpp:3568,3596 @1.2.0.1): listed with 0 confirmations, never mined.
   */
  unrelayed?: boolean;
  /**
   * Height of the block holding a transaction that spends the same coins (`sim_conflict`): the
   * wallet lists it with negative confirmations, -(depth of that block) (MarkConflicted and
   * GetDepthInMainChain, src/wallet/wallet.cpp:941,4357 @1.2.0.1; :1320,5627 @1.4.4.8).
   */
  conflictHeight?: number;
  /** Marked abandoned (`abandontransaction`): 0 confirmations, `abandoned: true`, coins back. */
  abandoned?: boolean;
}

/** Money the wallet received from outside (the operator funding it): confirmed on arrival. */
export interface WalletReceive {
  kind: 'receive';
  txid: string;
  seq: number;
  time: number;
  address: string;
  amount: bigint;
  comment: string;
  height: number;
}

/** A coinbase output paid to the pool address, derived from the chain. */
export interface CoinbaseCredit {
  kind: 'coinbase';
  txid: string;
  block: ChainBlock;
  vout: number;
  address: string;
  amount: bigint;
  confirmations: number;
  category: 'immature' | 'generate' | 'orphan';
}

export type WalletEntry = WalletSend | WalletReceive | CoinbaseCredit;

export interface WalletBalances {
  /** Spendable: mature coinbase + receives − sends (amounts and fees). */
  balance: bigint;
  immature: bigint;
  unconfirmed: bigint;
}

export interface SendRequest {
  /** Recipient → gross amount (base units), in the order given. */
  amounts: [string, bigint][];
  subtractFeeFrom: string[];
  comment: string;
  commentTo: string;
  minConf: number;
  /** sendtoaddress and sendmany word their failures differently. */
  style: 'sendtoaddress' | 'sendmany';
}

export interface WalletSnapshot {
  seq: number;
  sends: (Omit<WalletSend, 'outputs' | 'fee'> & {
    outputs: { address: string; amount: string; vout: number }[];
    fee: string;
  })[];
  receives: (Omit<WalletReceive, 'amount'> & { amount: string })[];
}

const UNLOCK_NEEDED = 'Error: Please enter the wallet passphrase with walletpassphrase first.';

/**
 * The pool wallet of the simulated node. Coinbase credits are read from the chain (immature until
 * `maturity` confirmations, gone when their block is reorganised away); sends and receives are
 * kept here. All amounts are bigint base units; a send debits amounts + one fixed fee exactly.
 */
export class SimWallet {
  locked = false;
  insufficientFunds = false;
  private seq = 0;
  private readonly sends: WalletSend[] = [];
  private readonly receives: WalletReceive[] = [];

  constructor(
    private readonly chain: SimChain,
    readonly settings: {
      poolAddress: string;
      maturity: number;
      txFee: bigint;
      now: () => number;
      /** How the wallet words CreateTransaction's funds refusal. Default classic. */
      flavor?: 'classic' | 'evo';
      /** The pool address's label: its receipts belong to that account, not to "". */
      poolLabel?: string;
    },
  ) {
    chain.onChange((event) => {
      if (event.kind !== 'connected') return;
      for (const send of this.sends) if (inMempool(send)) send.height ??= event.block.height;
    });
  }

  get poolAddress(): string {
    return this.settings.poolAddress;
  }

  isMine(address: string): boolean {
    return address === this.settings.poolAddress;
  }

  coinbaseCredits(): CoinbaseCredit[] {
    const credits: CoinbaseCredit[] = [];
    const mainTxids = new Set<string>();
    for (const block of this.chain.mainChain()) {
      mainTxids.add(block.txid);
      const confirmations = this.chain.confirmations(block);
      block.coinbase.outputs.forEach((out, vout) => {
        if (!this.isMine(out.address)) return;
        credits.push({
          kind: 'coinbase',
          txid: block.txid,
          block,
          vout,
          address: out.address,
          amount: out.value,
          confirmations,
          category: confirmations >= this.settings.maturity ? 'generate' : 'immature',
        });
      });
    }
    for (const block of this.chain.orphaned()) {
      // A block reorganised away whose coinbase the new chain carries again is not an orphan.
      if (mainTxids.has(block.txid)) continue;
      block.coinbase.outputs.forEach((out, vout) => {
        if (!this.isMine(out.address)) return;
        credits.push({
          kind: 'coinbase',
          txid: block.txid,
          block,
          vout,
          address: out.address,
          amount: out.value,
          confirmations: 0,
          category: 'orphan',
        });
      });
    }
    return credits;
  }

  balances(minConf = 0): WalletBalances {
    let balance = 0n;
    let immature = 0n;
    for (const credit of this.coinbaseCredits()) {
      if (credit.category === 'generate' && credit.confirmations >= minConf)
        balance += credit.amount;
      if (credit.category === 'immature') immature += credit.amount;
    }
    for (const receive of this.receives) {
      if (this.confirmationsAt(receive.height) >= minConf) balance += receive.amount;
    }
    for (const send of this.sends) balance -= spent(send);
    return { balance, immature, unconfirmed: 0n };
  }

  /**
   * GetAccountBalance(account, minconf): receipts on an address count for the account of its label
   * ("" for an unlabelled one), sends debit the account they were sent from — always "" here
   * (GetAccountAmounts, src/wallet/wallet.cpp:1356-1390 @1.2.0.1; :1847 @1.4.8.4).
   */
  accountBalance(account: string, minConf = 1): bigint {
    const label = this.settings.poolLabel ?? '';
    const received = account === label ? this.balances(minConf).balance + this.sent() : 0n;
    return account === '' ? received - this.sent() : received;
  }

  /** Amounts and fees of every send (all from the "" account). */
  private sent(): bigint {
    return this.sends.reduce((sum, send) => sum + spent(send), 0n);
  }

  /** Confirmations of a send as the wallet reports them: negative while conflicted. */
  sendConfirmations(send: WalletSend): number {
    if (send.conflictHeight !== undefined) return -(this.chain.height - send.conflictHeight + 1);
    return this.confirmationsAt(send.height);
  }

  /**
   * Another transaction spending the same coins is mined (a double spend, a malleated copy): the
   * send leaves the chain if it was on it, its coins count as the wallet's again.
   */
  conflict(txid: string): WalletSend {
    const send = this.sendById(txid);
    send.height = undefined;
    send.conflictHeight = this.chain.height;
    return send;
  }

  /**
   * The block that mined the send is reorganised away and the replacing chain does not carry it
   * (`sim_unmine`): back in the mempool with 0 confirmations — not conflicted — and mined again
   * by the next block, as a node's DisconnectTip returns a block's transactions to the mempool.
   */
  unmine(txid: string): WalletSend {
    const send = this.sendById(txid);
    if (send.height === undefined) {
      throw new RpcError(RpcCode.INVALID_PARAMETER, 'Transaction is not in a block');
    }
    send.height = undefined;
    return send;
  }

  /**
   * abandontransaction: only a send neither in a block nor in the mempool (here: one the mempool
   * refused); a conflicted or abandoned one is left as it is (CWallet::AbandonTransaction,
   * src/wallet/wallet.cpp:880-939 @1.2.0.1, :1260 @1.4.4.8; rpcwallet.cpp:1966 @1.2.0.1).
   */
  abandon(txid: string): void {
    const send = this.sends.find((s) => s.txid === txid && !s.hidden);
    if (!send) {
      throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Invalid or non-wallet transaction id');
    }
    if (send.conflictHeight !== undefined || send.abandoned) return;
    if (send.height !== undefined || inMempool(send)) {
      throw new RpcError(
        RpcCode.INVALID_ADDRESS_OR_KEY,
        'Transaction not eligible for abandonment',
      );
    }
    send.abandoned = true;
  }

  /** The newest send, as the wallet stored it (to mark it refused by the mempool). */
  lastSend(): WalletSend | undefined {
    return this.sends[this.sends.length - 1];
  }

  private sendById(txid: string): WalletSend {
    const send = this.sends.find((s) => s.txid === txid);
    if (!send) {
      throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Invalid or non-wallet transaction id');
    }
    return send;
  }

  /** Confirmations of a wallet transaction mined at `height` (0 while unmined). */
  confirmationsAt(height: number | undefined): number {
    if (height === undefined) return 0;
    return this.chain.height - height + 1;
  }

  /** The operator funds the wallet: a confirmed receive to the pool address. */
  fund(amount: bigint, comment = ''): WalletReceive {
    if (amount <= 0n) throw new RpcError(RpcCode.TYPE_ERROR, 'Invalid amount for send');
    const receive: WalletReceive = {
      kind: 'receive',
      txid: this.newTxid('receive'),
      seq: ++this.seq,
      time: this.settings.now(),
      address: this.settings.poolAddress,
      amount,
      comment,
      height: this.chain.height,
    };
    this.receives.push(receive);
    return receive;
  }

  /**
   * sendtoaddress / sendmany. Checks in the node's order: addresses and amounts, wallet lock,
   * funds, then building the transaction (fee, subtract-fee-from). Throws RpcError with the real
   * codes and messages.
   */
  send(request: SendRequest): WalletSend {
    const seen = new Set<string>();
    let total = 0n;
    for (const [address, amount] of request.amounts) {
      if (!isValidAddress(this.chain.network, address) || this.refusedAddresses.has(address)) {
        throw new RpcError(
          RpcCode.INVALID_ADDRESS_OR_KEY,
          request.style === 'sendmany'
            ? `Invalid Biblepay address: ${address}`
            : 'Invalid Biblepay address',
        );
      }
      if (seen.has(address)) {
        throw new RpcError(
          RpcCode.INVALID_PARAMETER,
          `Invalid parameter, duplicated address: ${address}`,
        );
      }
      seen.add(address);
      if (amount <= 0n) throw new RpcError(RpcCode.TYPE_ERROR, 'Invalid amount for send');
      total += amount;
    }
    if (this.locked) throw new RpcError(RpcCode.WALLET_UNLOCK_NEEDED, UNLOCK_NEEDED);

    const fee = this.settings.txFee;
    const available = this.insufficientFunds ? 0n : this.balances(request.minConf).balance;
    // sendmany "" checks the "" account first (src/wallet/rpcwallet.cpp:1177-1179 @1.2.0.1).
    const accountAvailable =
      request.style === 'sendmany' && !this.insufficientFunds
        ? this.accountBalance('', request.minConf)
        : available;
    const fundsError =
      request.style === 'sendmany' ? RpcCode.WALLET_INSUFFICIENT_FUNDS : RpcCode.WALLET_ERROR;
    if (total > available || total > accountAvailable) {
      throw new RpcError(
        RpcCode.WALLET_INSUFFICIENT_FUNDS,
        request.style === 'sendmany' ? 'Account has insufficient funds' : 'Insufficient funds',
      );
    }
    if (request.amounts.length === 0) {
      throw new RpcError(fundsError, 'Transaction amounts must be positive');
    }

    const subtracting = request.amounts.filter(([address]) =>
      request.subtractFeeFrom.includes(address),
    );
    if (subtracting.length === 0 && total + fee > available) {
      throw new RpcError(
        fundsError,
        request.style === 'sendmany'
          ? // CreateTransaction's wording (src/wallet/wallet.cpp:3293 @1.2.0.1, :3806 @1.4.8.4).
            this.settings.flavor === 'evo'
            ? '(Create Transaction) Insufficient funds.'
            : 'Insufficient funds.'
          : `Error: This transaction requires a transaction fee of at least ${formatFee(fee)} because of its amount, complexity, or use of recently received funds!`,
      );
    }
    // The fee is split evenly over the subtracting outputs; the first also pays the remainder
    // (CWallet::CreateTransaction).
    const share = subtracting.length > 0 ? fee / BigInt(subtracting.length) : 0n;
    let remainder = subtracting.length > 0 ? fee % BigInt(subtracting.length) : 0n;
    const outputs = request.amounts.map(([address, amount], vout) => {
      let received = amount;
      if (request.subtractFeeFrom.includes(address)) {
        received -= share + remainder;
        remainder = 0n;
        if (received <= 0n)
          throw new RpcError(fundsError, 'The transaction amount is too small to pay the fee');
      }
      return { address, amount: received, vout };
    });
    // CWallet::CreateTransaction: no dust output, and a signed size under the standard limit.
    // A fee-paying output left as dust and a plain dust output are worded apart
    // (src/wallet/wallet.cpp:3243,3246 @1.2.0.1; :3786,3789 @1.4.8.4).
    const dust = outputs.find((o) => o.amount < this.dustThreshold);
    if (dust) {
      throw new RpcError(
        fundsError,
        request.subtractFeeFrom.includes(dust.address)
          ? 'The transaction amount is too small to send after the fee has been deducted'
          : 'Transaction amount too small',
      );
    }
    if (this.maxSendOutputs > 0 && outputs.length > this.maxSendOutputs) {
      throw new RpcError(fundsError, 'Transaction too large');
    }

    const send: WalletSend = {
      kind: 'send',
      txid: this.newTxid('send'),
      seq: ++this.seq,
      time: this.settings.now(),
      outputs,
      fee,
      comment: request.comment,
      commentTo: request.commentTo,
    };
    if (this.dropNextComments > 0) {
      // The send happened; the node crashed before writing its metadata (comment) to the wallet.
      this.dropNextComments--;
      send.comment = '';
      send.commentTo = '';
    }
    if (this.hideNextSends > 0) {
      // The send happened; the wallet lost its record of it (crash, restore from an old backup).
      this.hideNextSends--;
      send.hidden = true;
    }
    this.sends.push(send);
    return send;
  }

  /** Outputs below this (base units) are dust: the send is refused (the node's 546 duffs). */
  dustThreshold = 546n;
  /** More outputs than this make a transaction too large to send (0: no limit; `sim_maxoutputs`). */
  maxSendOutputs = 0;
  /** Addresses the node refuses as recipients (`sim_refuseaddress`), as if it judged them invalid. */
  readonly refusedAddresses = new Set<string>();

  /** Sends still to be committed without the wallet listing them (`sim_hidesends`). */
  hideNextSends = 0;

  /** A rescan finds the sends the wallet had lost track of; how many. */
  rescan(): number {
    let found = 0;
    for (const send of this.sends) {
      if (send.hidden) found++;
      send.hidden = false;
    }
    return found;
  }

  /** Sends still to be stored without their comment (`sim_dropcomment`). */
  dropNextComments = 0;

  /** Forgets the comments of every send (what -zapwallettxes or a rescan does); how many. */
  zapComments(): number {
    for (const send of this.sends) {
      send.comment = '';
      send.commentTo = '';
    }
    return this.sends.length;
  }

  findTransaction(txid: string): WalletEntry[] {
    const found: WalletEntry[] = [];
    for (const send of this.sends) if (send.txid === txid && !send.hidden) found.push(send);
    for (const receive of this.receives) if (receive.txid === txid) found.push(receive);
    for (const credit of this.coinbaseCredits()) if (credit.txid === txid) found.push(credit);
    return found;
  }

  /**
   * Every entry the wallet lists, oldest first (by time, then by the order the wallet learned of
   * it); `includeHidden` adds the sends it lost track of (what really left the wallet).
   */
  entries(options: { includeHidden?: boolean } = {}): WalletEntry[] {
    const sends = options.includeHidden ? this.sends : this.sends.filter((s) => !s.hidden);
    const all: WalletEntry[] = [...this.coinbaseCredits(), ...this.receives, ...sends];
    return all.sort((a, b) => timeOf(a) - timeOf(b) || orderOf(a) - orderOf(b));
  }

  /** Script of a pay-to-pubkey-hash address, for validateaddress. */
  static scriptPubKey(address: string): string {
    const hash160 = Buffer.from(bs58check.decode(address)).subarray(1).toString('hex');
    return `76a914${hash160}88ac`;
  }

  snapshot(): WalletSnapshot {
    return {
      seq: this.seq,
      sends: this.sends.map((send) => ({
        ...send,
        fee: send.fee.toString(),
        outputs: send.outputs.map((out) => ({ ...out, amount: out.amount.toString() })),
      })),
      receives: this.receives.map((receive) => ({ ...receive, amount: receive.amount.toString() })),
    };
  }

  restore(snapshot: WalletSnapshot): void {
    this.seq = snapshot.seq;
    this.sends.length = 0;
    this.receives.length = 0;
    for (const send of snapshot.sends) {
      this.sends.push({
        ...send,
        fee: BigInt(send.fee),
        outputs: send.outputs.map((out) => ({ ...out, amount: BigInt(out.amount) })),
      });
    }
    for (const receive of snapshot.receives) {
      this.receives.push({ ...receive, amount: BigInt(receive.amount) });
    }
  }

  private newTxid(kind: string): string {
    return doubleSha256Hex(`${kind}:${this.seq}:${randomBytes(16).toString('hex')}`);
  }
}

/** What a send took from the wallet: what its recipients received plus the fee. */
export function debit(send: WalletSend): bigint {
  return send.outputs.reduce((sum, out) => sum + out.amount, 0n) + send.fee;
}

/** Whether the coins of a send left the wallet for good: not conflicted, not abandoned. */
export function leftTheWallet(send: WalletSend): boolean {
  return send.conflictHeight === undefined && !send.abandoned;
}

/** What a send takes from the balance: nothing once conflicted or abandoned (coins respendable). */
function spent(send: WalletSend): bigint {
  return leftTheWallet(send) ? debit(send) : 0n;
}

/** Waiting in the mempool to be mined: relayed, not conflicted, not abandoned. */
function inMempool(send: WalletSend): boolean {
  return !send.unrelayed && leftTheWallet(send) && send.height === undefined;
}

function timeOf(entry: WalletEntry): number {
  return entry.kind === 'coinbase' ? entry.block.header.time : entry.time;
}

function orderOf(entry: WalletEntry): number {
  return entry.kind === 'coinbase' ? entry.block.height : 1e12 + entry.seq;
}

function formatFee(fee: bigint): string {
  const whole = fee / 100_000_000n;
  const fraction = (fee % 100_000_000n).toString().padStart(8, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}.00`;
}
