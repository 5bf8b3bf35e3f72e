import { Module } from '@nestjs/common';
import { BiblepayNodeModule } from '../../biblepay/biblepay-node.module';
import { JobsModule } from '../../jobs/jobs.module';
import { BlockModule } from '../block/block.module';
import { MinerStoreModule } from '../mining/miner-store.module';
import { SolutionCleanupRepository } from './solution-cleanup.repository';
import { MessagingModule } from '../../messaging/messaging.module';
import { ChainHistoryService } from './chain-history.service';
import { SolutionCleanupService } from './solution-cleanup.service';
import { SolutionQueueServer } from '../../messaging/solution-queue.server';
import { SolutionBatchController } from './solution-batch.controller';
import { SolutionPipelineService } from './solution-pipeline.service';
import { SolutionRecorderService } from './solution-recorder.service';
import { SourceSuspenderService } from './source-suspender.service';
import { RejectedStringBudget } from './rejected-string-budget';
import { SOLUTION_BACKLOG } from '../../messaging/solution-backlog';
import { SolutionStoreModule } from './solution-store.module';
import { SolutionValidatorService } from './solution-validator.service';

/**
 * Backend: turns every message of the solution queue into exactly one accepted `solution` or
 * `rejected_solution` row; prunes old rows. Owns both tables (entities/). The queue is consumed by
 * a Nest microservice transport (SolutionQueueServer, connected in bootstrap) that hands batches
 * to SolutionBatchController → SolutionPipelineService.
 */
@Module({
  imports: [
    MessagingModule,
    BiblepayNodeModule,
    SolutionStoreModule,
    MinerStoreModule,
    BlockModule,
    JobsModule,
  ],
  controllers: [SolutionBatchController],
  providers: [
    SolutionQueueServer,
    SolutionPipelineService,
    SolutionValidatorService,
    SolutionRecorderService,
    ChainHistoryService,
    RejectedStringBudget,
    SourceSuspenderService,
    SolutionCleanupService,
    SolutionCleanupRepository,
    { provide: SOLUTION_BACKLOG, useExisting: SolutionQueueServer },
  ],
  exports: [SolutionQueueServer, SolutionCleanupService],
})
export class SolutionModule {}
