import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { JobSchedulerService } from '../../jobs/job-scheduler.service';
import { ChainWalkerService } from './chain-walker.service';
import { RatingService } from './rating.service';
import { RoundKeeperService } from './round-keeper.service';
import { ShareoutReversalService } from './shareout-reversal.service';
import { ShareoutService } from './shareout.service';

/** The block module's scheduled jobs, per served network, each under its own named lock. */
@Injectable()
export class BlockJobsService implements OnApplicationBootstrap {
  constructor(
    private readonly scheduler: JobSchedulerService,
    private readonly walker: ChainWalkerService,
    private readonly rounds: RoundKeeperService,
    private readonly shareout: ShareoutService,
    private readonly reversal: ShareoutReversalService,
    private readonly rating: RatingService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runBackgroundWork) return;
    const m = this.config.money;
    for (const network of this.config.networks) {
      this.scheduler.schedule(`blocks:${network}`, m.blockPollSeconds, () =>
        this.findBlocks(network),
      );
      this.scheduler.schedule(`shareout:${network}`, m.shareoutIntervalSeconds, () =>
        this.shareout.run(network),
      );
      this.scheduler.schedule(`rating:${network}`, m.ratingIntervalSeconds, () =>
        this.rating.run(network),
      );
    }
  }

  /**
   * Walk the chain, bring pool blocks up to date (rounds, maturity, orphans), and reverse the
   * shared-out ones a deep reorg took away.
   */
  async findBlocks(network: (typeof this.config.networks)[number]) {
    const walked = await this.walker.walk(network);
    const rounds = await this.rounds.update(network);
    const reversed = await this.reversal.run(network);
    return { ...walked, ...rounds, reversed };
  }
}
