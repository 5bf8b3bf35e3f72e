import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withLease } from './job-lease';

interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
  running?: Promise<void>;
}

/**
 * Runs the backend's scheduled jobs, their timers registered in @nestjs/schedule's
 * SchedulerRegistry (one `job:<name>` timeout each, re-armed after every run rather than a fixed
 * interval, so a run never overlaps itself however long it takes). Each run holds the lease of its
 * job (jobs/job-lease.ts), so with several backends a job runs on one of them at a time. On
 * shutdown the timers are removed and a running job is awaited (its lease is then released).
 */
@Injectable()
export class JobSchedulerService implements OnModuleDestroy {
  private readonly logger = new Logger(JobSchedulerService.name);
  private readonly jobs: Job[] = [];
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: SchedulerRegistry,
  ) {}

  schedule(name: string, everySeconds: number, run: () => Promise<unknown>): void {
    const job: Job = { name, everyMs: Math.max(100, everySeconds * 1000), run };
    this.jobs.push(job);
    this.arm(job, Math.min(job.everyMs, 1000));
  }

  /** Runs a job now under its lease; undefined when another backend holds it. */
  async runNow<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
    return withLease(this.db, name, run);
  }

  /** The names of the armed timers (for tests and the operator's curiosity). */
  armed(): string[] {
    return this.registry.getTimeouts().filter((name) => name.startsWith('job:'));
  }

  private arm(job: Job, delayMs: number): void {
    const key = `job:${job.name}`;
    if (this.registry.doesExist('timeout', key)) this.registry.deleteTimeout(key);
    const timer = setTimeout(() => {
      this.registry.deleteTimeout(key);
      if (this.stopped) return;
      job.running = this.runOnce(job).finally(() => {
        job.running = undefined;
        if (!this.stopped) this.arm(job, job.everyMs);
      });
    }, delayMs);
    this.registry.addTimeout(key, timer);
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
    for (const job of this.jobs) {
      const key = `job:${job.name}`;
      if (this.registry.doesExist('timeout', key)) this.registry.deleteTimeout(key);
    }
    await Promise.all(this.jobs.map((j) => j.running ?? Promise.resolve()));
  }
}
