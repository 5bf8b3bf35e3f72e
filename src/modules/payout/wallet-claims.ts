import type { WalletSend } from './wallet-ledger';

export const PAYMENT_COMMENT_PREFIX = 'purepool:';

/** The batch id a send's comment names (`purepool:<batch>`), or '' when it names none. */
export function batchOfComment(comment: string): string {
  return comment.startsWith(PAYMENT_COMMENT_PREFIX)
    ? comment.slice(PAYMENT_COMMENT_PREFIX.length)
    : '';
}

/** What the ledger already accounts for: txids of payment rows and dismissed sends, open batches. */
export interface Claims {
  txids: ReadonlySet<string>;
  /** Batch ids of payments not yet settled (intents): their send may be in the wallet already. */
  openBatches: ReadonlySet<string>;
}

/**
 * The wallet sends that look like the pool's — a `purepool:` comment, or every output to one of the
 * pool's miners (a payout whose comment was lost) — and that nothing in the ledger claims. Each is
 * money that left the wallet for miners while their balances may still show it as owed.
 */
export function unclaimedSends(
  sends: Iterable<WalletSend>,
  claims: Claims,
  isMiner: (address: string) => boolean,
): WalletSend[] {
  const unclaimed: WalletSend[] = [];
  for (const send of sends) {
    if (claims.txids.has(send.txid)) continue;
    const batch = batchOfComment(send.comment);
    if (batch && claims.openBatches.has(batch)) continue;
    const pools =
      batch !== '' || (send.outputs.size > 0 && [...send.outputs.keys()].every(isMiner));
    if (pools) unclaimed.push(send);
  }
  return unclaimed.sort((a, b) => a.time - b.time || a.txid.localeCompare(b.txid));
}

/** The output addresses of sends without a `purepool:` comment (to look up as miners). */
export function uncommentedRecipients(sends: Iterable<WalletSend>): string[] {
  const addresses = new Set<string>();
  for (const send of sends) {
    if (batchOfComment(send.comment)) continue;
    for (const address of send.outputs.keys()) addresses.add(address);
  }
  return [...addresses];
}

/**
 * What each recipient of a send was held for, when the fee was subtracted from the amounts: what
 * it received plus its share of the fee (split evenly, the first output also paying the remainder,
 * as the node's CreateTransaction does). Σ = paid + fee, to the base unit.
 */
export function grossOfSend(send: WalletSend): Map<string, bigint> {
  const addresses = [...send.outputs.keys()].sort(
    (a, b) => (send.vouts.get(a) ?? 0) - (send.vouts.get(b) ?? 0),
  );
  const n = BigInt(addresses.length);
  const share = n > 0n ? send.fee / n : 0n;
  let remainder = n > 0n ? send.fee % n : 0n;
  const gross = new Map<string, bigint>();
  for (const address of addresses) {
    gross.set(address, send.outputs.get(address)! + share + remainder);
    remainder = 0n;
  }
  return gross;
}
