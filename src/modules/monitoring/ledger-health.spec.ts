import type { AuditReport, FundingReport } from '../audit/audit.service';
import type { PaymentRow } from '../payout/payment.repository';
import { ledgerHealthOf } from './ledger-health';

const audit = (problems: string[]): AuditReport => ({
  network: 'main',
  ok: problems.length === 0,
  sharedBlocks: 0,
  credited: 0n,
  distributable: 0n,
  problems,
  feeOnlyBlocks: [],
  wallet: { received: 0n, credits: 0n, fees: 0n, pending: 0n, reversed: 0n },
  reversals: [],
  poolLoss: 0n,
  adjustments: { count: 0, total: 0n },
  unclaimedSends: [],
});

const funding = (required: bigint, spendable: bigint, immature: bigint): FundingReport => ({
  network: 'main',
  required,
  available: spendable + immature,
  spendable,
  immature,
  surplus: spendable + immature - required,
  ok: spendable + immature >= required,
});

const intent = (createdAt: Date): PaymentRow => ({
  id: 1,
  batchId: 'b',
  network: 'main',
  status: 'intent',
  total: 1n,
  txid: null,
  dispatchedAt: null,
  createdAt,
  ageSeconds: 0,
  dispatchedAgeSeconds: null,
});

const now = new Date('2026-01-01T12:00:00Z');
const blocks = new Map([['pending', 1] as const]);

describe('ledgerHealthOf', () => {
  it('reports the shortfall in exact base units when the wallet cannot cover what is owed', () => {
    const health = ledgerHealthOf(
      audit([]),
      funding(1_000_000_000_000_000_001n, 1n, 0n),
      [],
      blocks,
      now,
    );
    expect(health.shortfall).toBe(1_000_000_000_000_000_000n);
    expect(health.owed).toBe(1_000_000_000_000_000_001n);
  });

  it('reports no shortfall when spendable and immature together cover it', () => {
    const health = ledgerHealthOf(audit([]), funding(10n, 4n, 6n), [], blocks, now);
    expect(health.shortfall).toBe(0n);
    expect(health.spendable).toBe(4n);
    expect(health.immature).toBe(6n);
  });

  it('counts the audit problems and says not ok', () => {
    const health = ledgerHealthOf(audit(['a', 'b']), funding(0n, 0n, 0n), [], blocks, now);
    expect(health).toMatchObject({ auditOk: false, auditProblems: 2 });
  });

  it('ages the oldest open payment, 0 when none is open', () => {
    const open = [intent(new Date(now.getTime() - 90_000)), intent(new Date(now.getTime() - 5000))];
    expect(
      ledgerHealthOf(audit([]), funding(0n, 0n, 0n), open, blocks, now).oldestOpenPaymentSeconds,
    ).toBe(90);
    expect(
      ledgerHealthOf(audit([]), funding(0n, 0n, 0n), [], blocks, now).oldestOpenPaymentSeconds,
    ).toBe(0);
  });
});
