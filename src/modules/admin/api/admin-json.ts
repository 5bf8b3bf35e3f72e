import { baseToCoins } from '../../../biblepay/amount';
import type { AuditReport, FundingReport } from '../../audit/audit.service';
import type { ShareoutReport } from '../../block/shareout.service';
import type { PayoutPlan } from '../../payout/payout.service';

/**
 * The console API's JSON: amounts are coins as exact decimal strings (never JSON numbers), dates
 * ISO 8601. One converter for every answer, so no bigint ever reaches JSON.stringify.
 */
export function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') return baseToCoins(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toJson(v)]));
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

export function shareoutPlanJson(reports: ShareoutReport[]): unknown {
  return reports.map((r) => ({
    height: r.height,
    scheme: r.scheme,
    subsidy: baseToCoins(r.subsidy),
    fee: baseToCoins(r.fee),
    feeRecipient: r.feeRecipient,
    feeReason: r.feeReason,
    credits: [...r.credits].map(([minerId, amount]) => ({ minerId, amount: baseToCoins(amount) })),
  }));
}

export function payoutPlanJson(plan: PayoutPlan): unknown {
  return toJson(plan);
}

export function auditJson(report: AuditReport): unknown {
  return toJson(report);
}

export function fundingJson(report: FundingReport): unknown {
  return toJson(report);
}
