import { Injectable, Optional } from '@nestjs/common';
import { PoolMetricsService } from '../metrics/pool-metrics.service';
import { RejectReason } from './reject-reason';
import { MinerRepository } from '../mining/miner.repository';
import { NewRejectedSolution, NewSolution, SolutionRepository } from './solution.repository';
import type { Verdict } from './verdict';
import { retryOnLockConflict } from '../../database/lock-retry';

export interface RecordResult {
  accepted: number;
  rejected: number;
  alreadyRecorded: number;
}

const DEADLOCK_RETRIES = 5;

/**
 * Writes a batch's verdicts in one transaction. Races are settled by the unique indexes: a message
 * recorded meanwhile by another consumer is skipped, and a share whose bible hash another message
 * got in first becomes a duplicate rejection — so each message is recorded exactly once and each
 * bible hash accepted once, however many consumers run.
 */
@Injectable()
export class SolutionRecorderService {
  constructor(
    private readonly repository: SolutionRepository,
    private readonly miners: MinerRepository,
    @Optional() private readonly metrics?: PoolMetricsService,
  ) {}

  async record(verdicts: readonly Verdict[]): Promise<RecordResult> {
    const { result, inserted, rejected } = await retryOnLockConflict(
      () => this.recordOnce(verdicts),
      DEADLOCK_RETRIES,
    );
    this.count(inserted, rejected);
    return result;
  }

  /** Counted after the commit, so a rolled-back (retried) attempt is not counted twice. */
  private count(inserted: readonly NewSolution[], rejected: readonly NewRejectedSolution[]): void {
    if (!this.metrics) return;
    for (const row of inserted) this.metrics.solutionsRecorded(row.network, 'accepted');
    for (const row of rejected) this.metrics.solutionsRecorded(row.network, 'rejected', row.reason);
  }

  private recordOnce(verdicts: readonly Verdict[]): Promise<{
    result: RecordResult;
    inserted: NewSolution[];
    rejected: NewRejectedSolution[];
  }> {
    const accepted = verdicts.flatMap((v) => (v.kind === 'accepted' ? [v.row] : []));
    const rejected = verdicts.flatMap((v) => (v.kind === 'rejected' ? [v.row] : []));
    const alreadyRecorded = verdicts.length - accepted.length - rejected.length;

    return this.repository.transaction(async (manager) => {
      const ids = [...accepted, ...rejected].map((r) => r.messageId);
      const before = await this.repository.recordedMessageIds(ids, manager, true);
      const isNew = (r: { messageId: string }): boolean =>
        !before.accepted.has(r.messageId) && !before.rejected.has(r.messageId);
      const newAccepted = accepted.filter(isNew);
      const newRejected: NewRejectedSolution[] = rejected.filter(isNew);

      await this.repository.insertAccepted(manager, newAccepted);
      const after = await this.repository.recordedMessageIds(
        newAccepted.map((r) => r.messageId),
        manager,
        true,
      );
      const inserted: NewSolution[] = [];
      for (const row of newAccepted) {
        if (after.accepted.has(row.messageId)) inserted.push(row);
        else newRejected.push(duplicateOf(row));
      }
      await this.repository.insertRejected(manager, newRejected);

      const lastAccepted = new Map<number, Date>();
      const workerLastAccepted = new Map<number, Date>();
      for (const row of inserted) {
        lastAccepted.set(row.minerId, row.insertedAt);
        workerLastAccepted.set(row.workerId, row.insertedAt);
      }
      await this.miners.touchLastAccepted(manager, lastAccepted);
      await this.miners.touchWorkersLastAccepted(manager, workerLastAccepted);
      const result = {
        accepted: inserted.length,
        rejected: newRejected.length,
        alreadyRecorded:
          alreadyRecorded +
          accepted.length +
          rejected.length -
          inserted.length -
          newRejected.length,
      };
      return { result, inserted, rejected: newRejected };
    });
  }
}

function duplicateOf(row: NewSolution): NewRejectedSolution {
  return {
    messageId: row.messageId,
    network: row.network,
    workId: row.workId,
    minerId: row.minerId,
    workerId: row.workerId,
    source: null, // a duplicate is no abuse: suspensions do not count it
    reason: RejectReason.duplicate,
    detail: 'another share with this bible hash was accepted first',
    bibleHash: row.bibleHash,
    solutionString: null,
    insertedAt: row.insertedAt,
  };
}
