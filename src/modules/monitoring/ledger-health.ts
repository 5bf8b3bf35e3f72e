import type { AuditReport, FundingReport } from '../audit/audit.service';
import type { BlockStatus } from '../block/entities/block.entity';
import type { PaymentRow } from '../payout/payment.repository';

/** What /metrics says about one network's money, from the audit and the funding report. */
export interface LedgerHealth {
  auditOk: boolean;
  /** The audit's mismatches (each a line of `npm run cli -- audit`). */
  auditProblems: number;
  /** Positive miner balances + pool subsidy not yet shared out (the funding report's required). */
  owed: bigint;
  spendable: bigint;
  immature: bigint;
  /** How much more the wallet needs (spendable + immature) to cover what is owed; 0 when it does. */
  shortfall: bigint;
  /** Age of the oldest payment intent not yet proven sent or failed; 0 when none is open. */
  oldestOpenPaymentSeconds: number;
  /** Wallet sends no payment claims (the audit's other direction): payouts stop while any. */
  unclaimedSends: number;
  poolBlocks: ReadonlyMap<BlockStatus, number>;
}

export function ledgerHealthOf(
  audit: AuditReport,
  funding: FundingReport,
  openIntents: readonly PaymentRow[],
  poolBlocks: ReadonlyMap<BlockStatus, number>,
  now: Date,
): LedgerHealth {
  const oldest = Math.min(...openIntents.map((p) => p.createdAt.getTime()));
  return {
    auditOk: audit.ok,
    auditProblems: audit.problems.length,
    owed: funding.required,
    spendable: funding.spendable,
    immature: funding.immature,
    shortfall: funding.surplus < 0n ? -funding.surplus : 0n,
    oldestOpenPaymentSeconds:
      openIntents.length === 0 ? 0 : Math.max(0, (now.getTime() - oldest) / 1000),
    unclaimedSends: audit.unclaimedSends.length,
    poolBlocks,
  };
}
