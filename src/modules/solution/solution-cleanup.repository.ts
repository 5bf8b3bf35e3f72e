import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const placeholders = (n: number): string => Array(n).fill('?').join(',');

/** Pruning of the solution tables, in bounded batches (SolutionCleanupService drives it). */
@Injectable()
export class SolutionCleanupRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  deleteOldRejected(before: Date, limit: number): Promise<number> {
    return this.affected('DELETE FROM rejected_solution WHERE inserted_at < ? LIMIT ?', [
      before,
      limit,
    ]);
  }

  forgetRejectedSolutionStrings(before: Date, limit: number): Promise<number> {
    return this.affected(
      'UPDATE rejected_solution SET solution_string = NULL WHERE inserted_at < ? AND solution_string IS NOT NULL LIMIT ?',
      [before, limit],
    );
  }

  /** Rounds (pool block ids) that still hold shares inserted before `before`, at most `limit`. */
  async roundsWithOldSolutions(before: Date, limit: number): Promise<number[]> {
    const rows: { block_id: number | string }[] = await this.db.query(
      'SELECT DISTINCT block_id FROM solution WHERE inserted_at < ? AND block_id IS NOT NULL LIMIT ?',
      [before, limit],
    );
    return rows.map((r) => Number(r.block_id));
  }

  /** Old shares of these rounds (blocks already shared out: their split is final). */
  deleteOldSolutionsOfRounds(
    blockIds: readonly number[],
    before: Date,
    limit: number,
  ): Promise<number> {
    if (blockIds.length === 0) return Promise.resolve(0);
    return this.affected(
      `DELETE FROM solution WHERE block_id IN (${placeholders(blockIds.length)}) AND inserted_at < ? LIMIT ?`,
      [...blockIds, before, limit],
    );
  }

  private async affected(sql: string, params: unknown[]): Promise<number> {
    const result = await this.db.query<{ affectedRows?: number }>(sql, params);
    return result.affectedRows ?? 0;
  }
}
