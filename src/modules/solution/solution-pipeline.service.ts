import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SolutionBatch, SolutionBatchOutcome } from '../../messaging/solution-batch';
import { databaseOutageOf } from '../../database/transient-error';
import { SourceSuspenderService } from './source-suspender.service';
import { SolutionRecorderService } from './solution-recorder.service';
import { NodeUnavailableError } from './node-unavailable.error';
import { SolutionValidatorService } from './solution-validator.service';

/** How long the probe that tells a database outage from a broken statement may take. */
const PROBE_TIMEOUT_MS = 3000;

/**
 * One batch of solution messages from the queue to the database: validate (cheapest checks first,
 * one node round trip per batch), record in one transaction, then review the sources it rejected
 * shares of. Reports an outcome instead of throwing, so the transport knows whether to ack, wait
 * for the node or the database, or count a failure.
 */
@Injectable()
export class SolutionPipelineService {
  private readonly logger = new Logger(SolutionPipelineService.name);

  constructor(
    private readonly validator: SolutionValidatorService,
    private readonly recorder: SolutionRecorderService,
    private readonly suspender: SourceSuspenderService,
    @InjectDataSource() private readonly db: Pick<DataSource, 'query'>,
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
      const outage = databaseOutageOf(error);
      // Read-only, a lock wait given up, a deadlock that outlasted the recorder's retries: the
      // database's state, whatever the batch — wait.
      if (outage === 'refusing') return { status: 'database_unavailable', message };
      if (outage === 'connection') {
        // The link broke. If the server still answers a fresh query, this batch may be what
        // breaks it: a failure the transport counts (and splits on) rather than waits out.
        if (!(await this.databaseAnswers())) return { status: 'database_unavailable', message };
        return { status: 'failed', message, transient: true };
      }
      return { status: 'failed', message, transient: false };
    }
  }

  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.db.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer')), PROBE_TIMEOUT_MS);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
