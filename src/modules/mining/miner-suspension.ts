import type { MinerRow } from './miner.repository';

/** The miner's suspension if it is in force now (set by the backend, read with the miner row). */
export function activeSuspension(
  miner: Pick<MinerRow, 'suspendedUntil' | 'suspendedReason'>,
  now = Date.now(),
): { until: Date; reason: string } | null {
  const until = miner.suspendedUntil;
  if (!until || until.getTime() <= now) return null;
  return { until, reason: miner.suspendedReason ?? 'too many rejected shares' };
}
