import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SolutionMessage } from '../../messaging/solution-message';
import { SolutionRepository } from './solution.repository';
import type { Verdict } from './solution-validator.service';

const HOUR_MS = 3600_000;

/**
 * A rejected share keeps its whole solution string (up to 128 KiB of block hex) for diagnosis — up
 * to REJECTED_SOLUTION_BYTES_PER_MINER_HOUR per miner per hour (counted from what is stored);
 * past it only the reason is stored. Rejections without a known miner are charged to the sender's
 * IP within this process.
 */
@Injectable()
export class RejectedStringBudget {
  private readonly byIp = new Map<string, { hour: number; bytes: number }>();

  constructor(
    private readonly repository: SolutionRepository,
    private readonly config: AppConfig,
  ) {}

  async limit(verdicts: Verdict[], messages: readonly SolutionMessage[], now: Date): Promise<void> {
    const cap = this.config.abuse.rejectedSolutionBytesPerMinerHour;
    const stored = verdicts.flatMap((v, i) =>
      v.kind === 'rejected' && v.row.solutionString !== null ? [{ row: v.row, i }] : [],
    );
    if (stored.length === 0) return;
    const minerIds = [
      ...new Set(stored.flatMap(({ row }) => (row.minerId === null ? [] : [row.minerId]))),
    ];
    const used = await this.repository.storedRejectedBytes(
      minerIds,
      new Date(now.getTime() - HOUR_MS),
    );
    const hour = Math.floor(now.getTime() / HOUR_MS);
    for (const { row, i } of stored) {
      const bytes = Buffer.byteLength(row.solutionString ?? '');
      if (row.minerId !== null) {
        const spent = used.get(row.minerId) ?? 0;
        if (spent + bytes > cap) row.solutionString = null;
        else used.set(row.minerId, spent + bytes);
        continue;
      }
      const ip = messages[i].ip ?? 'unknown';
      const entry = this.byIp.get(ip);
      const spent = entry && entry.hour === hour ? entry.bytes : 0;
      if (spent + bytes > cap) row.solutionString = null;
      else this.byIp.set(ip, { hour, bytes: spent + bytes });
    }
    if (this.byIp.size > 100_000) this.byIp.clear();
  }
}
