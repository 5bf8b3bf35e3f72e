import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { RejectReason } from './reject-reason';
import { MinerRepository } from '../mining/miner.repository';
import { SolutionRepository } from './solution.repository';
import type { Verdict } from './solution-validator.service';

/** Rejections an honest miner also gets (a block change, a replayed message) do not count. */
const EXEMPT: readonly string[] = [
  RejectReason.staleHeight,
  RejectReason.duplicate,
  RejectReason.minerSuspended,
];

/**
 * Bounds what a miner's fake shares cost: a miner with MINER_SUSPEND_REJECTIONS or more rejected
 * shares within MINER_SUSPEND_WINDOW_SECONDS is suspended for MINER_SUSPEND_SECONDS
 * (`miner.suspended_until` and the reason). The frontends read it with the miner row (within
 * MINER_CACHE_SECONDS) and refuse the wallet with the reason; the backend rejects the miner's
 * queued shares as `miner_suspended` without a node call.
 */
@Injectable()
export class MinerSuspenderService {
  private readonly logger = new Logger(MinerSuspenderService.name);

  constructor(
    private readonly repository: SolutionRepository,
    private readonly miners: MinerRepository,
    private readonly config: AppConfig,
  ) {}

  /** After a batch is recorded: checks the miners it rejected shares of. */
  async review(verdicts: readonly Verdict[], now = new Date()): Promise<number[]> {
    const { suspendRejections, suspendWindowSeconds, suspendSeconds } = this.config.abuse;
    if (suspendRejections === 0) return [];
    const minerIds = [
      ...new Set(
        verdicts.flatMap((v) =>
          v.kind === 'rejected' && v.row.minerId !== null && !EXEMPT.includes(v.row.reason)
            ? [v.row.minerId]
            : [],
        ),
      ),
    ];
    const since = new Date(now.getTime() - suspendWindowSeconds * 1000);
    const counts = await this.repository.recentRejections(minerIds, since, EXEMPT);
    const suspended: number[] = [];
    for (const [minerId, { count, reasons }] of counts) {
      if (count < suspendRejections) continue;
      const until = new Date(now.getTime() + suspendSeconds * 1000);
      const reason = `${count} rejected shares in ${Math.round(suspendWindowSeconds / 60)} min (${reasons})`;
      if (await this.miners.suspend(minerId, until, reason, now)) {
        suspended.push(minerId);
        this.logger.warn(`miner ${minerId} suspended until ${until.toISOString()}: ${reason}`);
      }
    }
    return suspended;
  }
}
