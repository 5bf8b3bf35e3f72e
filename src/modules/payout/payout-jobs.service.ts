import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { JobSchedulerService } from '../../jobs/job-scheduler.service';
import { PayoutService } from './payout.service';

@Injectable()
export class PayoutJobsService implements OnApplicationBootstrap {
  constructor(
    private readonly scheduler: JobSchedulerService,
    private readonly payouts: PayoutService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runBackgroundWork) return;
    for (const network of this.config.networks) {
      // The same lock name as the CLI's `payouts`: a manual run and a scheduled one never overlap.
      this.scheduler.schedule(`payouts:${network}`, this.config.money.payoutIntervalSeconds, () =>
        this.payouts.run(network),
      );
    }
  }
}
