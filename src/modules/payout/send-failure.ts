import { RpcError, RpcTransportError } from '../../biblepay/rpc';

/**
 * Node errors that prove `sendmany` created no transaction — it stopped before committing — so the
 * hold may go back at once. Any other error (-4 "transaction commit failed/rejected", -25, -26,
 * -1, a transport error) may come after the wallet committed: the intent stays open and is
 * reconciled against the wallet. (-6 also carries CreateTransaction's refusals: "Transaction too
 * large", "Transaction amount too small".)
 */
export const NOTHING_SENT_CODES: ReadonlyMap<number, string> = new Map([
  [-3, 'invalid amount or type'],
  [-5, 'invalid address'],
  [-6, 'insufficient funds, or the transaction could not be built'],
  [-8, 'invalid parameter'],
  [-12, 'keypool ran out'],
  [-13, 'wallet locked'],
  [-14, 'wallet passphrase incorrect'],
]);

/**
 * What a failed send tells about its batch:
 * - `unsent: false` — it may have been committed: reconcile, send nothing more;
 * - `too-large` — the batch as a whole: split it and send the halves;
 * - `recipient` — one recipient's fault (named in `address`, or to be found by splitting);
 * - `wallet` — the wallet's own state (funds, lock, keypool): nobody's fault, send nothing more.
 */
export type SendFailure =
  | { unsent: false }
  | { unsent: true; kind: 'too-large' }
  | { unsent: true; kind: 'recipient'; address?: string }
  | { unsent: true; kind: 'wallet' };

const TOO_LARGE = /transaction too large/i;
/**
 * CreateTransaction's dust refusals, all -6 (src/wallet/wallet.cpp:3241-3246 @1.2.0.1, :3784-3789
 * @1.4.8.4): "The transaction amount is too small to pay the fee", "The transaction amount is too
 * small to send after the fee has been deducted", "Transaction amount too small".
 */
const DUST = /amount (is )?too small|dust/i;
const NAMED_ADDRESS = /address: (\w+)/i;

export function classifySendFailure(error: unknown): SendFailure {
  // Refused connection, unknown host, a full work queue: the node never ran the send. Nobody's
  // fault but the node's state: stop this run, the next one tries again.
  if (error instanceof RpcTransportError && !error.mayHaveReachedNode) {
    return { unsent: true, kind: 'wallet' };
  }
  if (!(error instanceof RpcError)) return { unsent: false };
  // CreateTransaction's refusals come before any commit, whatever code a node version gives them.
  if (TOO_LARGE.test(error.rpcMessage)) return { unsent: true, kind: 'too-large' };
  if (!NOTHING_SENT_CODES.has(error.code)) return { unsent: false };
  if (error.code === -5 || error.code === -3 || error.code === -8 || DUST.test(error.rpcMessage)) {
    const address = NAMED_ADDRESS.exec(error.rpcMessage)?.[1];
    return { unsent: true, kind: 'recipient', ...(address ? { address } : {}) };
  }
  return { unsent: true, kind: 'wallet' };
}
