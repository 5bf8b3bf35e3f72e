import { InitialSchema1795890190756 } from './1795890190756-initial-schema';
import { BlockRounds1795893516976 } from './1795893516976-block-rounds';
import { WorkSession1796000000000 } from './1796000000000-work-session';
import { SolutionReceivedAt1796000000001 } from './1796000000001-solution-received-at';
import { BlockFeeReason1796000000002 } from './1796000000002-block-fee-reason';
import { MinerSuspension1796000000003 } from './1796000000003-miner-suspension';
import { JobLease1796000000004 } from './1796000000004-job-lease';
import { ReversalsAndSetAsides1796000000005 } from './1796000000005-reversals-and-set-asides';
import { AdminAction1796000000006 } from './1796000000006-admin-action';
import { TimestampDefaults1796000000007 } from './1796000000007-timestamp-defaults';
import { AdminSpentToken1796000000010 } from './1796000000010-admin-spent-token';
import { SolutionBlockHash1796000000011 } from './1796000000011-solution-block-hash';
import { DispatchedAndUnclaimedSends1796000000025 } from './1796000000025-dispatched-and-unclaimed-sends';
import { AbuseSources1796000000220 } from './1796000000220-abuse-sources';
import { PaymentConfirmations1796000000251 } from './1796000000251-payment-confirmations';

/** Every migration, oldest first (`npm run db:setup` applies the pending ones). */
export const MIGRATIONS = [
  InitialSchema1795890190756,
  BlockRounds1795893516976,
  WorkSession1796000000000,
  SolutionReceivedAt1796000000001,
  BlockFeeReason1796000000002,
  MinerSuspension1796000000003,
  JobLease1796000000004,
  ReversalsAndSetAsides1796000000005,
  AdminAction1796000000006,
  TimestampDefaults1796000000007,
  AdminSpentToken1796000000010,
  SolutionBlockHash1796000000011,
  DispatchedAndUnclaimedSends1796000000025,
  AbuseSources1796000000220,
  PaymentConfirmations1796000000251,
];
