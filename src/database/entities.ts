import { JobLeaseEntity } from '../jobs/job-lease.entity';
import { AdminActionEntity } from '../modules/admin/entities/admin-action.entity';
import { AdminSpentTokenEntity } from '../modules/admin/entities/admin-spent-token.entity';
import { BlockEntity } from '../modules/block/entities/block.entity';
import { MinerEntity } from '../modules/mining/entities/miner.entity';
import { SourceSuspensionEntity } from '../modules/mining/entities/source-suspension.entity';
import { WorkEntity } from '../modules/mining/entities/work.entity';
import { WorkerEntity } from '../modules/mining/entities/worker.entity';
import { CreditReversalEntity } from '../modules/payout/entities/credit-reversal.entity';
import { PayoutSetAsideEntity } from '../modules/payout/entities/payout-set-aside.entity';
import { LedgerEntryEntity } from '../modules/payout/entities/ledger-entry.entity';
import { MinerBalanceEntity } from '../modules/payout/entities/miner-balance.entity';
import { PaymentErrorEntity } from '../modules/payout/entities/payment-error.entity';
import { PaymentEntity } from '../modules/payout/entities/payment.entity';
import { UnclaimedSendEntity } from '../modules/payout/entities/unclaimed-send.entity';
import { RejectedSolutionEntity } from '../modules/solution/entities/rejected-solution.entity';
import { SolutionEntity } from '../modules/solution/entities/solution.entity';

/** Every table of the schema; each entity lives in the module that owns its table. */
export const ENTITIES = [
  MinerEntity,
  WorkerEntity,
  WorkEntity,
  SolutionEntity,
  RejectedSolutionEntity,
  BlockEntity,
  LedgerEntryEntity,
  PaymentEntity,
  PaymentErrorEntity,
  MinerBalanceEntity,
  JobLeaseEntity,
  CreditReversalEntity,
  PayoutSetAsideEntity,
  AdminActionEntity,
  AdminSpentTokenEntity,
  UnclaimedSendEntity,
  SourceSuspensionEntity,
];
