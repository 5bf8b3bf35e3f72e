import { Module } from '@nestjs/common';
import { BiblepayNodeModule } from '../../biblepay/biblepay-node.module';
import { BlockModule } from '../block/block.module';
import { PayoutModule } from '../payout/payout.module';
import { AuditService } from './audit.service';

/** Audit and funding reports over blocks, ledger and wallet. */
@Module({
  imports: [BiblepayNodeModule, BlockModule, PayoutModule],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
