import { BaseUnits } from '../../biblepay/amount';
import { BiblepayRpcClient } from '../../biblepay/rpc';

/** The pool sends with `sendmany "" … minconf 1` (rpc.calls.ts). */
const SEND_ACCOUNT = '';
const SEND_MINCONF = 1;

/**
 * What the pool's `sendmany ""` can spend now: the "" account's balance (the node checks it first
 * and answers -6 "Account has insufficient funds" beyond it, src/wallet/rpcwallet.cpp:1177-1179
 * @1.2.0.1, :1075-1077 @1.4.4.8), never more than the wallet's mature balance. Coins received on a
 * labelled address sit in that label's account: `getwalletinfo.balance` counts them, sendmany ""
 * cannot spend them.
 */
export async function sendManySpendable(client: BiblepayRpcClient): Promise<BaseUnits> {
  const [wallet, account] = await Promise.all([
    client.getWalletInfo(),
    client.getBalance(SEND_ACCOUNT, SEND_MINCONF),
  ]);
  return account < wallet.balance ? account : wallet.balance;
}
