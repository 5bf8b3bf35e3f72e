import { Module } from '@nestjs/common';
import { BiblepayNodeModule } from '../../biblepay/biblepay-node.module';
import { JobsModule } from '../../jobs/jobs.module';
import { MinerStoreModule } from '../mining/miner-store.module';
import { LedgerRepository } from './ledger.repository';
import { PaymentRepository } from './payment.repository';
import { PayoutJobsService } from './payout-jobs.service';
import { PayoutService } from './payout.service';
import { WalletClaimsService } from './wallet-claims.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PAYOUT_ENTITIES } from './entities';

/** Backend: the ledger, balances, payments and their reconciliation. */
@Module({
  imports: [
    TypeOrmModule.forFeature(PAYOUT_ENTITIES),
    BiblepayNodeModule,
    JobsModule,
    MinerStoreModule,
  ],
  providers: [
    LedgerRepository,
    PaymentRepository,
    PayoutService,
    PayoutJobsService,
    WalletClaimsService,
  ],
  exports: [LedgerRepository, PaymentRepository, PayoutService, WalletClaimsService],
})
export class PayoutModule {}
