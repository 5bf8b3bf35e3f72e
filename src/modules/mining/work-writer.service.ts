import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { PoolMetricsService } from '../metrics/pool-metrics.service';
import { NewWork, WorkRepository } from './work.repository';

interface Pending {
  row: NewWork;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * INSERTs in flight at once. One: while an INSERT and its commit travel (about a millisecond), every
 * getwork that arrives waits for the next one, so under load rows go many per statement and
 * MariaDB commits (an fsync each) once per batch, not once per getwork. Four let batches of one
 * through under 16–64 new-connection wallets (issue 23: ~1.0 row per INSERT); measured with
 * `npm run bench:getwork` (docs/BENCHMARKS.md).
 */
export const WORK_INSERTS_IN_FLIGHT = 1;

/**
 * Group commit for work rows. A getwork is answered only after its row is committed (the backend
 * must find it). The rows of one event-loop turn are gathered (flushed in `setImmediate`, no timer:
 * no added latency when idle), and rows arriving while an INSERT is in flight ride together in the
 * next one: one round trip and one commit per batch under load.
 */
@Injectable()
export class WorkWriterService implements OnModuleDestroy {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly drained: (() => void)[] = [];

  constructor(
    private readonly repository: WorkRepository,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: PoolMetricsService,
  ) {}

  write(row: NewWork): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.scheduled && this.inFlight < WORK_INSERTS_IN_FLIGHT) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < WORK_INSERTS_IN_FLIGHT) {
      const batch = this.queue.splice(0, this.config.workBatchMax);
      this.inFlight++;
      this.repository
        .insertMany(batch.map((p) => p.row))
        .then(
          () => {
            this.metrics?.workInserted(batch.length);
            batch.forEach((p) => p.resolve());
          },
          (error: Error) => batch.forEach((p) => p.reject(error)),
        )
        .finally(() => {
          this.inFlight--;
          if (this.queue.length > 0) this.pump();
          else if (this.inFlight === 0) this.drained.splice(0).forEach((done) => done());
        });
    }
  }

  /** Lets pending writes finish before the DB connection closes. */
  async onModuleDestroy(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0 && !this.scheduled) return;
    await new Promise<void>((resolve) => this.drained.push(resolve));
  }
}
