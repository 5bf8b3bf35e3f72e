import type mysql from 'mysql2/promise';
import type { SimNodeHandle } from '../../sim/node/sim-node';
import { leftTheWallet, WalletSend } from '../../sim/node/wallet';

/**
 * What left the simulated wallet for each address, read from the wallet's own sends (also those
 * its lists lost track of; not a conflicted or abandoned one, whose coins came back): what the
 * address received plus its share of the fee — split evenly over the outputs, the first (vout 0)
 * also paying the remainder, as a send with the fee subtracted from every amount takes it.
 */
export function walletPaidPerAddress(node: SimNodeHandle): Map<string, bigint> {
  const paid = new Map<string, bigint>();
  const sends = node.wallet
    .entries({ includeHidden: true })
    .filter((e): e is WalletSend => e.kind === 'send')
    .filter(leftTheWallet);
  for (const send of sends) {
    const n = BigInt(send.outputs.length);
    for (const out of send.outputs) {
      const share = send.fee / n + (out.vout === 0 ? send.fee % n : 0n);
      paid.set(out.address, (paid.get(out.address) ?? 0n) + out.amount + share);
    }
  }
  return paid;
}

/**
 * What the ledger says each miner was paid: its payout holds less what came back (refunds, and
 * refunds taken back), for payments the wallet holds (their txid is one of `txids`), still open
 * (intents), or settled without a send (failed: the refund nets the hold to zero).
 */
export async function ledgerPaidPerAddress(
  db: mysql.Connection,
  txids: readonly string[],
  network = 'main',
): Promise<Map<string, bigint>> {
  const [rows] = await db.query<mysql.RowDataPacket[]>(
    `SELECT m.address, -SUM(l.amount) AS paid
       FROM ledger_entry l JOIN miner m ON m.id = l.miner_id JOIN payment p ON p.id = l.payment_id
      WHERE l.network = ? AND l.category IN ('payout', 'payout_refund', 'refund_reversal')
        AND (p.status = 'intent' OR p.txid IS NULL OR p.txid IN (?))
      GROUP BY m.address`,
    [network, txids.length > 0 ? txids : ['-']],
  );
  const paid = new Map<string, bigint>();
  for (const r of rows) if (BigInt(r.paid) !== 0n) paid.set(String(r.address), BigInt(r.paid));
  return paid;
}

/**
 * Throws unless what left the wallet for each address equals, to the base unit, what the ledger
 * says its miner was paid — an extra wallet send, a missing one, a wrong amount each fail it.
 */
export async function expectWalletMatchesLedger(
  node: SimNodeHandle,
  db: mysql.Connection,
  network = 'main',
): Promise<void> {
  const wallet = walletPaidPerAddress(node);
  const txids = node.wallet
    .entries({ includeHidden: true })
    .filter((e): e is WalletSend => e.kind === 'send')
    .map((s) => s.txid);
  const ledger = await ledgerPaidPerAddress(db, txids, network);
  const differences: string[] = [];
  for (const address of new Set([...wallet.keys(), ...ledger.keys()])) {
    const w = wallet.get(address) ?? 0n;
    const l = ledger.get(address) ?? 0n;
    if (w !== l) differences.push(`${address}: the wallet sent ${w}, the ledger says ${l}`);
  }
  if (differences.length > 0) {
    throw new Error(`wallet and ledger disagree:\n${differences.join('\n')}`);
  }
}
