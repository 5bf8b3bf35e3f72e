import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { insertRows } from '../../database/multi-row-insert';

export interface NewWork {
  id: string;
  network: string;
  minerId: number;
  workerId: number;
  threadId: number | null;
  hashTarget: string;
  ip: string | null;
  os: string | null;
  agent: string | null;
  sessionId: string | null;
  createdAt: Date;
}

const placeholders = (n: number): string => Array(n).fill('?').join(',');

/** The work a share quotes, with the miner it was handed to (validation reads it per batch). */
export interface WorkRef {
  id: string;
  network: string;
  minerId: number;
  workerId: number;
  minerGuid: string;
  hashTarget: string;
  /** The work's miner has had an accepted share: only then are its rejected shares' strings kept. */
  minerHasAcceptedShare: boolean;
  /** When the work was handed out: no share quoting it can have arrived earlier. */
  createdAt: Date;
}

/** Every query on `work` (owned by the mining module; the backend reaches it via MinerStoreModule). */
@Injectable()
export class WorkRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One multi-row INSERT: one round trip and one commit for the whole batch. */
  async insertMany(rows: readonly NewWork[]): Promise<void> {
    await insertRows(
      this.db,
      'INSERT INTO work (id, network, miner_id, worker_id, thread_id, hash_target, ip, os, agent, session_id, created_at)',
      rows,
      (w) => [
        w.id,
        w.network,
        w.minerId,
        w.workerId,
        w.threadId,
        w.hashTarget,
        w.ip,
        w.os,
        w.agent,
        w.sessionId,
        w.createdAt,
      ],
    );
  }

  /** The works these shares quote, with their miners' GUID (one query per batch). */
  async findWorks(ids: readonly string[]): Promise<Map<string, WorkRef>> {
    if (ids.length === 0) return new Map();
    const rows: {
      id: string;
      network: string;
      miner_id: number;
      worker_id: number;
      guid: string;
      hash_target: string;
      accepted: number | string | null;
      created_at: Date;
    }[] = await this.db.query(
      `SELECT w.id, w.network, w.miner_id, w.worker_id, m.guid, w.hash_target,
              m.last_accepted_solution_at IS NOT NULL AS accepted, w.created_at
         FROM work w JOIN miner m ON m.id = w.miner_id WHERE w.id IN (${placeholders(ids.length)})`,
      [...ids],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          network: r.network,
          minerId: Number(r.miner_id),
          workerId: Number(r.worker_id),
          minerGuid: r.guid,
          hashTarget: r.hash_target,
          minerHasAcceptedShare: Number(r.accepted) === 1,
          createdAt: r.created_at,
        },
      ]),
    );
  }

  /** Cleanup: old work rows in bounded batches. */
  async deleteOld(before: Date, limit: number): Promise<number> {
    const result: { affectedRows?: number } = await this.db.query(
      'DELETE FROM work WHERE created_at < ? LIMIT ?',
      [before, limit],
    );
    return result.affectedRows ?? 0;
  }
}
