import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SOLUTION_BATCH } from '../../messaging/solution-batch';
import type { SolutionBatch, SolutionBatchOutcome } from '../../messaging/solution-batch';
import { SolutionPipelineService } from './solution-pipeline.service';

/** Where the solution queue server (messaging/solution-queue.server.ts) delivers each batch. */
@Controller()
export class SolutionBatchController {
  constructor(private readonly pipeline: SolutionPipelineService) {}

  @EventPattern(SOLUTION_BATCH)
  handle(@Payload() batch: SolutionBatch): Promise<SolutionBatchOutcome> {
    return this.pipeline.process(batch);
  }
}
