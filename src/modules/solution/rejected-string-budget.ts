import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SolutionRepository } from './solution.repository';
import type { Verdict } from './verdict';

const HOUR_MS = 3600_000;
/** How long the pool-wide total of the last hour is trusted before it is read again. */
const TOTAL_REFRESH_MS = 60_000;

/**
 * A rejected share keeps its whole solution string (up to 128 KiB of block hex) for diagnosis —
 * but only for a miner with an accepted share (the validator leaves it out for anyone else: every
 * valid address is a miner on its first getwork, so a per-miner budget alone bounds nothing), and
 * only within three budgets per hour, counted from what is stored: per miner
 * (REJECTED_SOLUTION_BYTES_PER_MINER_HOUR), per source (REJECTED_STRING_BYTES_PER_SOURCE_HOUR) and
 * for the whole pool (REJECTED_STRING_BYTES_PER_HOUR; read again every minute, plus what this
 * process stored since — several backends may overshoot it by a minute's worth each). Past any of
 * them only the reason is stored.
 */
@Injectable()
export class RejectedStringBudget {
  private total = { readAt: 0, bytes: 0 };

  constructor(
    private readonly repository: SolutionRepository,
    private readonly config: AppConfig,
  ) {}

  async limit(verdicts: Verdict[], now: Date): Promise<void> {
    const budget = this.config.abuse;
    const stored = verdicts.flatMap((v) =>
      v.kind === 'rejected' && v.row.solutionString !== null ? [v.row] : [],
    );
    if (stored.length === 0) return;
    const since = new Date(now.getTime() - HOUR_MS);
    const minerIds = [...new Set(stored.flatMap((r) => (r.minerId === null ? [] : [r.minerId])))];
    const sources = [...new Set(stored.flatMap((r) => (r.source === null ? [] : [r.source])))];
    const byMiner = await this.repository.storedRejectedBytes(minerIds, since);
    const bySource = await this.repository.storedRejectedBytesBySource(sources, since);
    if (now.getTime() - this.total.readAt >= TOTAL_REFRESH_MS) {
      this.total = {
        readAt: now.getTime(),
        bytes: await this.repository.storedRejectedBytesTotal(this.config.networks, since),
      };
    }
    for (const row of stored) {
      const bytes = Buffer.byteLength(row.solutionString ?? '');
      if (row.minerId === null || row.source === null) {
        row.solutionString = null;
        continue;
      }
      const miner = (byMiner.get(row.minerId) ?? 0) + bytes;
      const source = (bySource.get(row.source) ?? 0) + bytes;
      const total = this.total.bytes + bytes;
      if (
        miner > budget.rejectedSolutionBytesPerMinerHour ||
        source > budget.rejectedStringBytesPerSourceHour ||
        total > budget.rejectedStringBytesPerHour
      ) {
        row.solutionString = null;
        continue;
      }
      byMiner.set(row.minerId, miner);
      bySource.set(row.source, source);
      this.total.bytes = total;
    }
  }
}
