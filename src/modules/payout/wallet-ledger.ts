import { BiblepayRpcClient, ListedTransaction } from '../../biblepay/rpc';

/** One wallet send, all its `listtransactions` entries together. */
export interface WalletSend {
  txid: string;
  time: number;
  comment: string;
  /** Address → amount received (after any fee subtracted from it). */
  outputs: Map<string, bigint>;
  /** Address → its output's index in the transaction (the first pays a fee's remainder). */
  vouts: Map<string, number>;
  paid: bigint;
  fee: bigint;
}

const PAGE = 200;

/**
 * The wallet's transactions, newest first, page by page until `stop` says enough (or the end):
 * `listtransactions` pages from the newest back.
 */
export async function walletTransactions(
  client: BiblepayRpcClient,
  stop: (page: ListedTransaction[]) => boolean = () => false,
): Promise<ListedTransaction[]> {
  const all: ListedTransaction[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const page = await client.listTransactions(PAGE, skip);
    all.push(...page);
    if (page.length < PAGE || stop(page)) return all;
  }
}

/** Groups send entries by transaction: outputs per address, amount paid, fee. */
export function sendsOf(transactions: readonly ListedTransaction[]): Map<string, WalletSend> {
  const sends = new Map<string, WalletSend>();
  for (const tx of transactions) {
    if (tx.category !== 'send' || !tx.txid || tx.abandoned) continue;
    let send = sends.get(tx.txid);
    if (!send) {
      send = {
        txid: tx.txid,
        time: tx.time,
        comment: tx.comment ?? '',
        outputs: new Map(),
        vouts: new Map(),
        paid: 0n,
        fee: 0n,
      };
      sends.set(tx.txid, send);
    }
    const amount = -tx.amount;
    if (tx.address) send.outputs.set(tx.address, (send.outputs.get(tx.address) ?? 0n) + amount);
    if (tx.address && tx.vout !== undefined && !send.vouts.has(tx.address)) {
      send.vouts.set(tx.address, tx.vout);
    }
    send.paid += amount;
    // Each send entry repeats the transaction's fee.
    if (tx.fee !== undefined) send.fee = -tx.fee;
  }
  return sends;
}

/**
 * Whether a wallet send is the payment that held `held` (address → amount): the same recipients,
 * none receiving more than held (the fee is subtracted from the amounts), and amounts plus fee
 * adding up to exactly what was held.
 */
export function sendMatches(held: ReadonlyMap<string, bigint>, send: WalletSend): boolean {
  if (held.size !== send.outputs.size) return false;
  let total = 0n;
  for (const amount of held.values()) total += amount;
  for (const [address, amount] of send.outputs) {
    const intended = held.get(address);
    if (intended === undefined || amount > intended || amount <= 0n) return false;
  }
  return send.paid + send.fee === total;
}
