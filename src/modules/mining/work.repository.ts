import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

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

const COLUMNS =
  '(id, network, miner_id, worker_id, thread_id, hash_target, ip, os, agent, session_id, created_at)';
const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

@Injectable()
export class WorkRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One multi-row INSERT: one round trip and one commit for the whole batch. */
  async insertMany(rows: readonly NewWork[]): Promise<void> {
    if (rows.length === 0) return;
    const params: unknown[] = [];
    for (const w of rows) {
      params.push(
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
      );
    }
    await this.db.query(
      `INSERT INTO work ${COLUMNS} VALUES ${Array(rows.length).fill(ROW).join(',')}`,
      params,
    );
  }
}
