import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withLease } from './job-lease';

interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

/**
 * Runs scheduled backend jobs. Each run holds the lease of its job (jobs/job-lease.ts), so with
 * several backends a job runs on one of them at a time; runs never overlap within a process either.
 * On shutdown, timers stop and a running job is allowed to finish (its lease is then released).
 */
@Injectable()
export class JobScheduler implements OnModuleDestroy {
  private readonly logger = new Logger(JobScheduler.name);
  private readonly jobs: Job[] = [];
  private stopped = false;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  schedule(name: string, everySeconds: number, run: () => Promise<unknown>): void {
    const job: Job = { name, everyMs: Math.max(100, everySeconds * 1000), run };
    this.jobs.push(job);
    const tick = (): void => {
      if (this.stopped) return;
      job.running = this.runOnce(job).finally(() => {
        job.running = undefined;
        if (!this.stopped) job.timer = setTimeout(tick, job.everyMs);
      });
    };
    job.timer = setTimeout(tick, Math.min(job.everyMs, 1000));
  }

  /** Runs a job now under its lease; undefined when another backend holds it. */
  async runNow<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
    return withLease(this.db, name, run);
  }

  private async runOnce(job: Job): Promise<void> {
    try {
      await withLease(this.db, job.name, job.run);
    } catch (error) {
      this.logger.warn(`job ${job.name} failed: ${(error as Error).message}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs) clearTimeout(job.timer);
    await Promise.all(this.jobs.map((j) => j.running ?? Promise.resolve()));
  }
}
