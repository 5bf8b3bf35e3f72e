import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SOLUTION_BATCH } from '../../messaging/solution-batch';
import type { SolutionBatch, SolutionBatchOutcome } from '../../messaging/solution-batch';
import { SolutionPipeline } from './solution-pipeline.service';

/** Where the solution queue server (messaging/solution-queue.server.ts) delivers each batch. */
@Controller()
export class SolutionBatchController {
  constructor(private readonly pipeline: SolutionPipeline) {}

  @EventPattern(SOLUTION_BATCH)
  handle(@Payload() batch: SolutionBatch): Promise<SolutionBatchOutcome> {
    return this.pipeline.process(batch);
  }
}
