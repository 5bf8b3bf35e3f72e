import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface SourceSuspension {
  source: string;
  until: Date;
  reason: string;
}

const placeholders = (n: number): string => Array(n).fill('?').join(',');

/**
 * Every query on `source_suspension` (owned by the mining module): the backend suspends a source
 * whose bad shares pass MINER_SUSPEND_REJECTIONS; frontends and the validator read it.
 */
@Injectable()
export class SourceSuspensionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every suspension in force at `now` (few: each costs its source hundreds of bad shares). */
  async active(now: Date): Promise<SourceSuspension[]> {
    const rows: { source: string; suspended_until: Date; suspended_reason: string }[] =
      await this.db.query(
        'SELECT source, suspended_until, suspended_reason FROM source_suspension WHERE suspended_until > ?',
        [now],
      );
    return rows.map((r) => ({
      source: r.source,
      until: r.suspended_until,
      reason: r.suspended_reason,
    }));
  }

  /** The suspensions in force at `now` among these sources. */
  async activeAmong(sources: readonly string[], now: Date): Promise<Map<string, Date>> {
    if (sources.length === 0) return new Map();
    const unique = [...new Set(sources)];
    const rows: { source: string; suspended_until: Date }[] = await this.db.query(
      `SELECT source, suspended_until FROM source_suspension
        WHERE source IN (${placeholders(unique.length)}) AND suspended_until > ?`,
      [...unique, now],
    );
    return new Map(rows.map((r) => [r.source, r.suspended_until]));
  }

  /** Suspends a source until `until` unless a suspension is already in force; true when it did. */
  async suspend(source: string, until: Date, reason: string, now: Date): Promise<boolean> {
    const result: { affectedRows?: number } = await this.db.query(
      `INSERT INTO source_suspension (source, suspended_until, suspended_reason, created_at)
            VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE
            suspended_reason = IF(suspended_until <= ?, VALUES(suspended_reason), suspended_reason),
            created_at = IF(suspended_until <= ?, VALUES(created_at), created_at),
            suspended_until = IF(suspended_until <= ?, VALUES(suspended_until), suspended_until)`,
      [source, until, reason.slice(0, 160), now, now, now, now],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  /** Cleanup: suspensions that ended before `before`. */
  async deleteEnded(before: Date, limit: number): Promise<number> {
    const result: { affectedRows?: number } = await this.db.query(
      'DELETE FROM source_suspension WHERE suspended_until < ? LIMIT ?',
      [before, limit],
    );
    return result.affectedRows ?? 0;
  }
}
