import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { NewWork, WorkRepository } from './work.repository';

interface Pending {
  row: NewWork;
  resolve: () => void;
  reject: (error: Error) => void;
}

const MAX_IN_FLIGHT = 4;

/**
 * Group commit for work rows. A getwork is answered only after its row is committed (the backend
 * must find it), but rows arriving while an INSERT is in flight ride together in the next one: no
 * added latency when idle, one round trip and one commit per batch under load.
 */
@Injectable()
export class WorkWriterService implements OnModuleDestroy {
  private queue: Pending[] = [];
  private inFlight = 0;
  private readonly drained: (() => void)[] = [];

  constructor(
    private readonly repository: WorkRepository,
    private readonly config: AppConfig,
  ) {}

  write(row: NewWork): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < MAX_IN_FLIGHT) {
      const batch = this.queue.splice(0, this.config.workBatchMax);
      this.inFlight++;
      this.repository
        .insertMany(batch.map((p) => p.row))
        .then(
          () => batch.forEach((p) => p.resolve()),
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
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.drained.push(resolve));
  }
}
