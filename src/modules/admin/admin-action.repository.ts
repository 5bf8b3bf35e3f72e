import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AdminActionKind } from './entities/admin-action.entity';

export interface AdminActionRecord {
  actor: string;
  clientIp: string | null;
  action: AdminActionKind;
  network: string | null;
  target: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
}

export interface AdminActionRow extends AdminActionRecord {
  id: number;
  createdAt: Date;
}

/** State snapshots as JSON; bigint (money) as its decimal text, never a float. */
export function stateJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** The console's audit trail (`admin_action`, owned by the admin module). */
@Injectable()
export class AdminActionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(
    entry: AdminActionRecord,
    manager: EntityManager | DataSource = this.db,
  ): Promise<number> {
    const result: { insertId: number } = await manager.query(
      `INSERT INTO admin_action (created_at, actor, client_ip, action, network, target, reason, before_state, after_state)
       VALUES (UTC_TIMESTAMP(3), ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        entry.actor,
        entry.clientIp,
        entry.action,
        entry.network,
        entry.target?.slice(0, 128) ?? null,
        entry.reason?.slice(0, 255) ?? null,
        stateJson(entry.before),
        stateJson(entry.after),
      ],
    );
    return Number(result.insertId);
  }

  /** Newest first; optionally the actions on one target (a miner's address, a message id). */
  async list(
    options: { limit: number; offset?: number; network?: string; target?: string } = { limit: 100 },
  ): Promise<AdminActionRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.network) {
      where.push('network = ?');
      params.push(options.network);
    }
    if (options.target) {
      where.push('target = ?');
      params.push(options.target);
    }
    const rows: {
      id: number | string;
      created_at: Date;
      actor: string;
      client_ip: string | null;
      action: AdminActionKind;
      network: string | null;
      target: string | null;
      reason: string | null;
      before_state: string | null;
      after_state: string | null;
    }[] = await this.db.query(
      `SELECT id, created_at, actor, client_ip, action, network, target, reason, before_state, after_state
         FROM admin_action ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT ? OFFSET ?`,
      [...params, options.limit, options.offset ?? 0],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      createdAt: r.created_at,
      actor: r.actor,
      clientIp: r.client_ip,
      action: r.action,
      network: r.network,
      target: r.target,
      reason: r.reason,
      before: r.before_state === null ? null : (JSON.parse(r.before_state) as unknown),
      after: r.after_state === null ? null : (JSON.parse(r.after_state) as unknown),
    }));
  }
}
