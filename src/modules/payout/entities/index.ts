import { LedgerEntryEntity } from './ledger-entry.entity';
import { PaymentEntity } from './payment.entity';
import { PaymentErrorEntity } from './payment-error.entity';
import { MinerBalanceEntity } from './miner-balance.entity';
import { CreditReversalEntity } from './credit-reversal.entity';
import { PayoutSetAsideEntity } from './payout-set-aside.entity';
import { UnclaimedSendEntity } from './unclaimed-send.entity';

/** The payout module's tables (the ledger, balances, payments and their bookkeeping): registered with TypeOrmModule.forFeature by the module, listed in src/entities.ts. */
export const PAYOUT_ENTITIES = [
  LedgerEntryEntity,
  PaymentEntity,
  PaymentErrorEntity,
  MinerBalanceEntity,
  CreditReversalEntity,
  PayoutSetAsideEntity,
  UnclaimedSendEntity,
];
