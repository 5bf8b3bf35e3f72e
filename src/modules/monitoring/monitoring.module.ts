import { Module } from '@nestjs/common';
import { BiblepayNodeModule } from '../../biblepay/biblepay-node.module';
import { JobsModule } from '../../jobs/jobs.module';
import { MessagingModule } from '../../messaging/messaging.module';
import { AuditModule } from '../audit/audit.module';
import { BlockModule } from '../block/block.module';
import { PayoutModule } from '../payout/payout.module';
import { HealthSamplerService } from './health-sampler.service';
import { MonitoringJobsService } from './monitoring-jobs.service';
import { QueueInspector } from './queue-inspector';

/** Backend: the ledger's health, the node's tip and the queues, sampled for /metrics. */
@Module({
  imports: [
    AuditModule,
    BiblepayNodeModule,
    BlockModule,
    JobsModule,
    MessagingModule,
    PayoutModule,
  ],
  providers: [HealthSamplerService, MonitoringJobsService, QueueInspector],
})
export class MonitoringModule {}
