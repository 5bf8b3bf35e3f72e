import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { withLease } from '../../jobs/job-lease';
import { JobSchedulerService } from '../../jobs/job-scheduler.service';
import { BlockRepository } from '../block/block.repository';
import { MinerRepository } from '../mining/miner.repository';
import { SourceSuspensionRepository } from '../mining/source-suspension.repository';
import { WorkRepository } from '../mining/work.repository';
import { SolutionCleanupRepository } from './solution-cleanup.repository';

const DAY_MS = 86_400_000;

/**
 * Prunes old work, settled solutions and rejected solutions (and drops kept solution strings),
 * idle workers (no accepted share in WORKER_IDLE_DAYS) and ended source suspensions, in
 * bounded batches, so no statement holds table locks for long. A job of the backend's scheduler,
 * under the `cleanup` lease: one backend at a time.
 */
@Injectable()
export class SolutionCleanupService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SolutionCleanupService.name);

  constructor(
    private readonly repository: SolutionCleanupRepository,
    private readonly works: WorkRepository,
    private readonly miners: MinerRepository,
    private readonly suspensions: SourceSuspensionRepository,
    private readonly blocks: BlockRepository,
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly scheduler: JobSchedulerService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runBackgroundWork) return;
    this.scheduler.schedule('cleanup', this.config.cleanup.intervalSeconds, () => this.prune());
  }

  /** One pass; returns rows touched per kind, or undefined when another backend holds the lease. */
  run(now = new Date()): Promise<Record<string, number> | undefined> {
    return withLease(this.db, 'cleanup', () => this.prune(now));
  }

  private async prune(now = new Date()): Promise<Record<string, number>> {
    const c = this.config.cleanup;
    const ago = (ms: number): Date => new Date(now.getTime() - ms);
    const result = {
      work: await this.drain((n) => this.works.deleteOld(ago(c.workRetentionDays * DAY_MS), n)),
      solutions: await this.drain((n) =>
        this.deleteSettledSolutions(ago(c.solutionRetentionDays * DAY_MS), n),
      ),
      rejected: await this.drain((n) =>
        this.repository.deleteOldRejected(ago(c.rejectedRetentionDays * DAY_MS), n),
      ),
      solutionStrings: await this.drain((n) =>
        this.repository.forgetRejectedSolutionStrings(
          ago(c.rejectedSolutionStringHours * 3_600_000),
          n,
        ),
      ),
      workers: await this.drain((n) =>
        this.miners.deleteIdleWorkers(ago(this.config.workerIdleDays * DAY_MS), n),
      ),
      sourceSuspensions: await this.drain((n) => this.suspensions.deleteEnded(now, n)),
    };
    if (Object.values(result).some((n) => n > 0))
      this.logger.log(`cleanup: ${JSON.stringify(result)}`);
    return result;
  }

  /** Only shares whose round is settled (its block shared out: the split is final) may go. */
  private async deleteSettledSolutions(before: Date, limit: number): Promise<number> {
    const rounds = await this.repository.roundsWithOldSolutions(before, 500);
    const settled = await this.blocks.sharedAmong(rounds);
    return this.repository.deleteOldSolutionsOfRounds(settled, before, limit);
  }

  private async drain(step: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await step(this.config.cleanup.batchSize);
      total += n;
      if (n < this.config.cleanup.batchSize) return total;
      await new Promise((r) => setImmediate(r)); // let other work in between batches
    }
  }
}
