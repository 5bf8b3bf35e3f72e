import { ConflictException, Injectable } from '@nestjs/common';
import { baseToCoins } from '../../biblepay/amount';
import { Network } from '../../biblepay/network';
import { JobSchedulerService } from '../../jobs/job-scheduler.service';
import { AuditReport, AuditService, FundingReport } from '../audit/audit.service';
import { ShareoutReport, ShareoutService } from '../block/shareout.service';
import { PayoutPlan, PayoutService } from '../payout/payout.service';
import { AdminActionRepository } from './admin-action.repository';
import type { ActionContext } from './miner-admin.service';

/**
 * The console's read-only runs: a shareout or payout as a dry run (the plan, nothing written or
 * sent) and the audit and funding reports. Each is recorded in the trail with its outcome.
 */
@Injectable()
export class AdminReportsService {
  constructor(
    private readonly shareout: ShareoutService,
    private readonly payouts: PayoutService,
    private readonly audits: AuditService,
    private readonly jobs: JobSchedulerService,
    private readonly trail: AdminActionRepository,
  ) {}

  /** What the next shareout would credit, under the shareout lease like the job itself. */
  async shareoutPlan(network: Network, who: ActionContext): Promise<ShareoutReport[]> {
    const reports = await this.jobs.runNow(`shareout:${network}`, () =>
      this.shareout.run(network, { dryRun: true }),
    );
    if (!reports) throw new ConflictException('a shareout is running right now; try again');
    await this.record(who, 'shareout.dry-run', network, {
      blocks: reports.map((r) => ({
        height: r.height,
        miners: r.credits.size,
        fee: baseToCoins(r.fee),
      })),
    });
    return reports;
  }

  /** Who the next payout run would pay and how much (no reconciliation, nothing sent). */
  async payoutPlan(network: Network, who: ActionContext): Promise<PayoutPlan> {
    const plan = await this.payouts.plan(network);
    await this.record(who, 'payouts.dry-run', network, {
      recipients: plan.recipients.length,
      total: baseToCoins(plan.total),
    });
    return plan;
  }

  async audit(network: Network, who: ActionContext): Promise<AuditReport> {
    const report = await this.audits.audit(network);
    await this.record(who, 'report.audit', network, {
      ok: report.ok,
      problems: report.problems.length,
    });
    return report;
  }

  async funding(network: Network, who: ActionContext): Promise<FundingReport> {
    const report = await this.audits.funding(network);
    await this.record(who, 'report.funding', network, {
      ok: report.ok,
      surplus: baseToCoins(report.surplus),
    });
    return report;
  }

  private async record(
    who: ActionContext,
    action: 'shareout.dry-run' | 'payouts.dry-run' | 'report.audit' | 'report.funding',
    network: Network,
    after: unknown,
  ): Promise<void> {
    await this.trail.record({
      ...who,
      action,
      network,
      target: null,
      reason: null,
      before: null,
      after,
    });
  }
}
