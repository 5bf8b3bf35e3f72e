import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { RejectReason } from './reject-reason';
import { SourceSuspensionRepository } from '../mining/source-suspension.repository';
import { SolutionRepository } from './solution.repository';
import type { Verdict } from './verdict';

/** Rejections an honest miner also gets (a block change, a replayed message) do not count. */
const EXEMPT: readonly string[] = [
  RejectReason.staleHeight,
  RejectReason.duplicate,
  RejectReason.sourceSuspended,
];

/**
 * Bounds what fake shares cost: a source (an IPv4 address, an IPv6 /64) with
 * MINER_SUSPEND_REJECTIONS or more rejected shares within MINER_SUSPEND_WINDOW_SECONDS is
 * suspended for MINER_SUSPEND_SECONDS (`source_suspension`). The frontends refuse the source's
 * requests with the reason (within MINER_CACHE_SECONDS); the backend rejects the source's queued
 * shares as `source_suspended` without a node call. The miner a share names is never charged:
 * anyone can ask for work in any miner's name and send junk on it.
 */
@Injectable()
export class SourceSuspenderService {
  private readonly logger = new Logger(SourceSuspenderService.name);

  constructor(
    private readonly repository: SolutionRepository,
    private readonly suspensions: SourceSuspensionRepository,
    private readonly config: AppConfig,
  ) {}

  /** After a batch is recorded: checks the sources it rejected shares of. */
  async review(verdicts: readonly Verdict[], now = new Date()): Promise<string[]> {
    const { suspendRejections, suspendWindowSeconds, suspendSeconds } = this.config.abuse;
    if (suspendRejections === 0) return [];
    const sources = [
      ...new Set(
        verdicts.flatMap((v) =>
          v.kind === 'rejected' && v.row.source !== null && !EXEMPT.includes(v.row.reason)
            ? [v.row.source]
            : [],
        ),
      ),
    ];
    const since = new Date(now.getTime() - suspendWindowSeconds * 1000);
    const counts = await this.repository.recentRejectionsBySource(sources, since, EXEMPT);
    const suspended: string[] = [];
    for (const [source, { count, reasons }] of counts) {
      if (count < suspendRejections) continue;
      const until = new Date(now.getTime() + suspendSeconds * 1000);
      const reason = `${count} rejected shares in ${Math.round(suspendWindowSeconds / 60)} min (${reasons})`;
      if (await this.suspensions.suspend(source, until, reason, now)) {
        suspended.push(source);
        this.logger.warn(`source ${source} suspended until ${until.toISOString()}: ${reason}`);
      }
    }
    return suspended;
  }
}
