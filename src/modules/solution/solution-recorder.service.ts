import { Injectable } from '@nestjs/common';
import { RejectReason } from './reject-reason';
import { NewRejectedSolution, NewSolution, SolutionRepository } from './solution.repository';
import { Verdict } from './solution-validator.service';

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
export class SolutionRecorder {
  constructor(private readonly repository: SolutionRepository) {}

  async record(verdicts: readonly Verdict[]): Promise<RecordResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.recordOnce(verdicts);
      } catch (error) {
        const code = sqlErrorCode(error);
        if (
          attempt >= DEADLOCK_RETRIES ||
          (code !== 'ER_LOCK_DEADLOCK' && code !== 'ER_LOCK_WAIT_TIMEOUT')
        )
          throw error;
        await new Promise((r) => setTimeout(r, 20 * attempt));
      }
    }
  }

  private recordOnce(verdicts: readonly Verdict[]): Promise<RecordResult> {
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
      for (const row of inserted) lastAccepted.set(row.minerId, row.insertedAt);
      await this.repository.touchMiners(manager, lastAccepted);
      return {
        accepted: inserted.length,
        rejected: newRejected.length,
        alreadyRecorded:
          alreadyRecorded +
          accepted.length +
          rejected.length -
          inserted.length -
          newRejected.length,
      };
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
    reason: RejectReason.duplicate,
    detail: 'another share with this bible hash was accepted first',
    bibleHash: row.bibleHash,
    solutionString: null,
    insertedAt: row.insertedAt,
  };
}

/** TypeORM wraps driver errors; the MySQL error code may sit on the error or its driverError. */
function sqlErrorCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e.driverError?.code ?? e.code;
}
