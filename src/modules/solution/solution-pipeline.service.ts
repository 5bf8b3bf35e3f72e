import { Injectable, Logger } from '@nestjs/common';
import type { SolutionBatch, SolutionBatchOutcome } from '../../messaging/solution-batch';
import { isTransientDatabaseError } from '../../database/transient-error';
import { SourceSuspenderService } from './source-suspender.service';
import { SolutionRecorderService } from './solution-recorder.service';
import { NodeUnavailableError } from './node-unavailable.error';
import { SolutionValidatorService } from './solution-validator.service';

/**
 * One batch of solution messages from the queue to the database: validate (cheapest checks first,
 * one node round trip per batch), record in one transaction, then review the sources it rejected
 * shares of. Reports an outcome instead of throwing, so the transport knows whether to ack, wait
 * for the node, or count a failure.
 */
@Injectable()
export class SolutionPipelineService {
  private readonly logger = new Logger(SolutionPipelineService.name);

  constructor(
    private readonly validator: SolutionValidatorService,
    private readonly recorder: SolutionRecorderService,
    private readonly suspender: SourceSuspenderService,
  ) {}

  async process(batch: SolutionBatch): Promise<SolutionBatchOutcome> {
    try {
      const verdicts = await this.validator.validate(batch);
      const result = await this.recorder.record(verdicts);
      await this.suspender.review(verdicts).catch((error: Error) => {
        this.logger.warn(`reviewing sources for suspension: ${error.message}`);
      });
      return { status: 'recorded', ...result };
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      if (error instanceof NodeUnavailableError) return { status: 'node_unavailable', message };
      return { status: 'failed', message, transient: isTransientDatabaseError(error) };
    }
  }
}
