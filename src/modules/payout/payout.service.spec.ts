import type { EntityManager } from 'typeorm';
import { backendConfig, newTestService } from '../../../test/support/mocks';
import { parseCoins } from '../../biblepay/amount';
import { NodeClients } from '../../biblepay/node-clients';
import type { ListedTransaction } from '../../biblepay/rpc';
import { AppConfig } from '../../config/app-config';
import { LedgerRepository, MinerBalance } from './ledger.repository';
import { PaymentRepository, PaymentRow } from './payment.repository';
import { PAYMENT_COMMENT_PREFIX, PayoutService } from './payout.service';
import { WalletClaimsService } from './wallet-claims.service';

const config = (env: Record<string, string> = {}): AppConfig =>
  backendConfig({
    PAYOUT_MINIMUM_MAIN: '10',
    PAYOUT_MIN_INTERVAL_HOURS: '24',
    PAYOUT_MAX_PER_RUN: '2',
    ...env,
  });

const NOW = new Date('2026-12-05T12:00:00Z');
const balance = (
  minerId: number,
  coins: string,
  lastPayoutAt: Date | null = null,
): MinerBalance => ({
  minerId,
  address: `addr${minerId}`,
  balance: parseCoins(coins),
  lastPayoutAt,
});

function service(env: Record<string, string> = {}) {
  const t = newTestService(PayoutService, [config(env)]);
  t.mock(PaymentRepository).setAsideMiners.mockResolvedValue(new Set());
  t.mock(PaymentRepository).awaitingConfirmation.mockResolvedValue([]);
  t.mock(PaymentRepository).transaction.mockImplementation(((work: (m: EntityManager) => unknown) =>
    work({} as EntityManager)) as never);
  return t;
}

describe('PayoutService.plan (who is due)', () => {
  it('pays balances at or above the minimum, largest first, at most PAYOUT_MAX_PER_RUN', async () => {
    const t = service();
    t.mock(LedgerRepository).balances.mockResolvedValue([
      balance(1, '9.99999999'),
      balance(2, '10'),
      balance(3, '50'),
      balance(4, '20'),
    ]);
    const plan = await t.sut.plan('main', NOW);
    expect(plan.recipients.map((r) => r.minerId)).toEqual([3, 4]);
    expect(plan.total).toBe(parseCoins('70'));
  });

  it('skips recipients set aside and those paid within the interval; never a dust output', async () => {
    const t = service({ PAYOUT_MINIMUM_MAIN: '0.00000001', PAYOUT_MAX_PER_RUN: '10' });
    t.mock(PaymentRepository).setAsideMiners.mockResolvedValue(new Set([2]));
    t.mock(LedgerRepository).balances.mockResolvedValue([
      balance(1, '0.001'), // below PAYOUT_DUST_LIMIT (0.01)
      balance(2, '100'),
      balance(3, '100', new Date(NOW.getTime() - 3_600_000)),
      balance(4, '100', new Date(NOW.getTime() - 25 * 3_600_000)),
    ]);
    const plan = await t.sut.plan('main', NOW);
    expect(plan.recipients).toEqual([{ minerId: 4, address: 'addr4', amount: parseCoins('100') }]);
  });
});

describe('PayoutService.reconcile (settling intents against the wallet)', () => {
  const intent = (id: number, ageSeconds: number, dispatched = false): PaymentRow => ({
    id,
    batchId: `batch-${id}`,
    network: 'main',
    status: 'intent',
    total: parseCoins('10'),
    txid: null,
    createdAt: new Date(NOW.getTime() - ageSeconds * 1000),
    dispatchedAt: dispatched ? new Date(NOW.getTime() - ageSeconds * 1000 + 5) : null,
    ageSeconds,
    dispatchedAgeSeconds: dispatched ? ageSeconds - 0.005 : null,
  });
  const walletWith = (t: ReturnType<typeof service>, txs: Partial<ListedTransaction>[]) => {
    const client = { listTransactions: jest.fn().mockResolvedValue(txs) };
    t.mock(NodeClients).of.mockReturnValue(client as never);
  };

  it('marks sent an intent the wallet shows by its comment, refunds one never dispatched past the grace, keeps a young one open', async () => {
    const t = service({ PAYOUT_RECONCILE_GRACE_SECONDS: '120' });
    const payments = t.mock(PaymentRepository);
    const ledger = t.mock(LedgerRepository);
    t.mock(WalletClaimsService).findUnclaimed.mockResolvedValue([]);
    payments.openUnclaimed.mockResolvedValue([]);
    payments.newestPaymentTime.mockResolvedValue(NOW.getTime() / 1000 - 600);
    payments.openIntents.mockResolvedValue([intent(1, 600, true), intent(2, 600), intent(3, 10)]);
    payments.failedWithin.mockResolvedValue([]);
    payments.claimedTxids.mockResolvedValue(new Set());
    payments.markSent.mockResolvedValue(true);
    payments.markFailed.mockResolvedValue(true);
    ledger.minersOfPayment.mockResolvedValue([7]);
    // What each intent held: intent 2's outputs match no send (its comment was not lost either).
    ledger.linesOfPayment.mockResolvedValue([{ address: 'addr7', amount: parseCoins('10') }]);
    walletWith(t, [
      {
        category: 'send',
        txid: 'tx1',
        address: 'addr7',
        amount: -parseCoins('9.9999'),
        fee: -parseCoins('0.0001'),
        time: NOW.getTime() / 1000 - 500,
        comment: `${PAYMENT_COMMENT_PREFIX}batch-1`,
      },
    ]);
    const result = await t.sut.reconcile('main');
    expect(result).toEqual({
      sent: 1,
      failed: 1,
      open: 1,
      recovered: 0,
      notFound: 0,
      unclaimed: 0,
    });
    expect(payments.markSent).toHaveBeenCalledWith(expect.anything(), 1, 'tx1');
    expect(ledger.setPaymentTxid).toHaveBeenCalledWith(expect.anything(), 1, 'tx1');
    expect(payments.markFailed).toHaveBeenCalledWith(
      expect.anything(),
      2,
      'never sent to the wallet (not dispatched); released after the grace period',
    );
    expect(ledger.insertRefunds).toHaveBeenCalledWith(expect.anything(), 2, expect.any(String));
    expect(payments.markSent).not.toHaveBeenCalledWith(expect.anything(), 3, expect.anything());
  });

  it('never refunds a dispatched payment the wallet does not show: held, with the evidence noted', async () => {
    const t = service({ PAYOUT_RECONCILE_GRACE_SECONDS: '1' });
    const payments = t.mock(PaymentRepository);
    t.mock(WalletClaimsService).findUnclaimed.mockResolvedValue([]);
    payments.openUnclaimed.mockResolvedValue([]);
    payments.newestPaymentTime.mockResolvedValue(NOW.getTime() / 1000 - 86_400);
    payments.openIntents.mockResolvedValue([intent(5, 86_400, true)]);
    payments.failedWithin.mockResolvedValue([]);
    payments.claimedTxids.mockResolvedValue(new Set());
    t.mock(LedgerRepository).linesOfPayment.mockResolvedValue([
      { address: 'addr7', amount: parseCoins('10') },
    ]);
    walletWith(t, []);
    const result = await t.sut.reconcile('main');
    expect(result).toMatchObject({ failed: 0, open: 1, notFound: 1 });
    expect(payments.markFailed).not.toHaveBeenCalled();
    expect(t.mock(LedgerRepository).insertRefunds).not.toHaveBeenCalled();
    expect(payments.noteNotFound).toHaveBeenCalledWith(
      5,
      expect.stringContaining(`no send with comment ${PAYMENT_COMMENT_PREFIX}batch-5`),
    );
  });

  it('with nothing to settle still checks that every wallet send is claimed', async () => {
    const t = service();
    t.mock(PaymentRepository).openIntents.mockResolvedValue([]);
    t.mock(PaymentRepository).failedWithin.mockResolvedValue([]);
    t.mock(PaymentRepository).newestPaymentTime.mockResolvedValue(null);
    t.mock(PaymentRepository).openUnclaimed.mockResolvedValue([]);
    t.mock(WalletClaimsService).findUnclaimed.mockResolvedValue([]);
    walletWith(t, []);
    expect(await t.sut.reconcile('main')).toEqual({
      sent: 0,
      failed: 0,
      open: 0,
      recovered: 0,
      notFound: 0,
      unclaimed: 0,
    });
    expect(t.mock(WalletClaimsService).findUnclaimed).toHaveBeenCalled();
  });
});
