import { Module } from '@nestjs/common';
import { BiblepayNodeModule } from '../../biblepay/biblepay-node.module';
import { MessagingModule } from '../../messaging/messaging.module';
import { ChainHistory } from './chain-history.service';
import { SolutionCleanupService } from './solution-cleanup.service';
import { SolutionConsumer } from './solution.consumer';
import { SolutionRecorder } from './solution-recorder.service';
import { MinerSuspender } from './miner-suspender.service';
import { RejectedStringBudget } from './rejected-string-budget';
import { SOLUTION_BACKLOG } from './solution-backlog';
import { SolutionStoreModule } from './solution-store.module';
import { SolutionValidator } from './solution-validator.service';

/**
 * Backend: consumes the solution queue and turns every message into exactly one accepted
 * `solution` or `rejected_solution` row; prunes old rows. Owns both tables (entities/).
 */
@Module({
  imports: [MessagingModule, BiblepayNodeModule, SolutionStoreModule],
  providers: [
    SolutionConsumer,
    SolutionValidator,
    SolutionRecorder,
    ChainHistory,
    RejectedStringBudget,
    MinerSuspender,
    SolutionCleanupService,
    { provide: SOLUTION_BACKLOG, useExisting: SolutionConsumer },
  ],
  exports: [SolutionConsumer, SolutionCleanupService],
})
export class SolutionModule {}
