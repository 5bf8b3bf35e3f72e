import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { withLease } from '../../jobs/job-lease';
import { SolutionRepository } from './solution.repository';

const DAY_MS = 86_400_000;

/**
 * Prunes old work, settled solutions and rejected solutions (and drops kept solution strings) in
 * bounded batches, so no statement holds table locks for long. One backend at a time (named lock).
 */
@Injectable()
export class SolutionCleanupService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SolutionCleanupService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: SolutionRepository,
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runBackgroundWork) return;
    this.timer = setInterval(() => {
      this.run().catch((error: Error) => this.logger.warn(`cleanup failed: ${error.message}`));
    }, this.config.cleanup.intervalSeconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One pass; returns rows touched per kind, or undefined when another backend holds the lock. */
  run(now = new Date()): Promise<Record<string, number> | undefined> {
    const c = this.config.cleanup;
    const ago = (ms: number): Date => new Date(now.getTime() - ms);
    return withLease(this.db, 'cleanup', async () => {
      const result = {
        work: await this.drain((n) =>
          this.repository.deleteOldWork(ago(c.workRetentionDays * DAY_MS), n),
        ),
        solutions: await this.drain((n) =>
          this.repository.deleteOldSettledSolutions(ago(c.solutionRetentionDays * DAY_MS), n),
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
      };
      if (Object.values(result).some((n) => n > 0))
        this.logger.log(`cleanup: ${JSON.stringify(result)}`);
      return result;
    });
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
