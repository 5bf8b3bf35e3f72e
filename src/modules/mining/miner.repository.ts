import type { Queryable } from '../../database/queryable';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';

export interface MinerRow {
  id: number;
  guid: string;
  disabled: boolean;
  hashTarget: string | null;
  suspendedUntil: Date | null;
  suspendedReason: string | null;
}

interface RawMiner {
  id: number | string;
  guid: string;
  disabled: number;
  hash_target: string | null;
  suspended_until: Date | null;
  suspended_reason: string | null;
}

const placeholders = (n: number): string => Array(n).fill('?').join(',');

/**
 * Every query on miner and worker (owned by the mining module; other modules reach them through
 * MinerStoreModule). The frontend finds and creates: INSERT IGNORE + SELECT, since its DB user may
 * only insert and the unique indexes settle races between frontends. The backend's changes —
 * suspension, rating, last accepted share, the console's on/off switch — are the methods below
 * findOrCreateWorker; only the backend's DB user may run them.
 */
@Injectable()
export class MinerRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findOrCreateMiner(
    network: string,
    address: string,
    email: string | null,
  ): Promise<MinerRow> {
    const existing = await this.findMiner(network, address);
    if (existing) return existing;
    await this.db.query(
      'INSERT IGNORE INTO miner (guid, network, address, email, created_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3))',
      [randomUUID(), network, address, email],
    );
    const created = await this.findMiner(network, address);
    if (!created) throw new Error(`miner ${network}/${address} vanished after insert`);
    return created;
  }

  async findMiner(network: string, address: string): Promise<MinerRow | null> {
    const rows: RawMiner[] = await this.db.query(
      'SELECT id, guid, disabled, hash_target, suspended_until, suspended_reason FROM miner WHERE network = ? AND address = ?',
      [network, address],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      id: Number(r.id),
      guid: r.guid,
      disabled: Boolean(r.disabled),
      hashTarget: r.hash_target,
      suspendedUntil: r.suspended_until,
      suspendedReason: r.suspended_reason,
    };
  }

  /**
   * The worker's id, created when new. At `maxWorkers` the new name takes the slot of the
   * longest-idle worker — one without an accepted share since `idleSince`, idle longest by its last
   * accepted share or its creation — renamed in place (its id stays: work already handed out keeps
   * a valid worker; shares and money go by miner, a worker is a label). When every slot has an
   * accepted share since `idleSince`, null and nothing changes. `replaced` is the name given up.
   */
  async findOrCreateWorker(
    minerId: number,
    name: string,
    maxWorkers: number,
    idleSince: Date,
  ): Promise<{ id: number; replaced: string | null } | null> {
    const find = async (): Promise<number | null> => {
      const rows: { id: number | string }[] = await this.db.query(
        'SELECT id FROM worker WHERE miner_id = ? AND name = ?',
        [minerId, name],
      );
      return rows.length ? Number(rows[0].id) : null;
    };
    const existing = await find();
    if (existing !== null) return { id: existing, replaced: null };
    const [{ n }]: { n: number | string }[] = await this.db.query(
      'SELECT COUNT(*) AS n FROM worker WHERE miner_id = ?',
      [minerId],
    );
    if (Number(n) < maxWorkers) {
      await this.db.query(
        'INSERT IGNORE INTO worker (miner_id, name, created_at) VALUES (?, ?, UTC_TIMESTAMP(3))',
        [minerId, name],
      );
      const created = await find();
      if (created === null) throw new Error(`worker ${minerId}/${name} vanished after insert`);
      return { id: created, replaced: null };
    }
    // Full: a few tries, since another frontend may take the same idle slot meanwhile.
    for (let attempt = 0; attempt < 3; attempt++) {
      const idle: { id: number | string; name: string }[] = await this.db.query(
        `SELECT id, name FROM worker
          WHERE miner_id = ? AND (last_accepted_solution_at IS NULL OR last_accepted_solution_at < ?)
          ORDER BY GREATEST(created_at, COALESCE(last_accepted_solution_at, created_at)), id LIMIT 1`,
        [minerId, idleSince],
      );
      if (idle.length === 0) return null;
      const id = Number(idle[0].id);
      try {
        // Conditional on the row still being the idle one read above.
        const result: { affectedRows?: number } = await this.db.query(
          `UPDATE worker SET name = ?, created_at = UTC_TIMESTAMP(3)
            WHERE id = ? AND name = ? AND (last_accepted_solution_at IS NULL OR last_accepted_solution_at < ?)`,
          [name, id, idle[0].name, idleSince],
        );
        if ((result.affectedRows ?? 0) === 1) return { id, replaced: idle[0].name };
      } catch (error) {
        if ((error as { code?: string }).code !== 'ER_DUP_ENTRY') throw error;
      }
      const raced = await find(); // another frontend gave this name a slot first
      if (raced !== null) return { id: raced, replaced: null };
    }
    return null;
  }

  /** Keeps worker.last_accepted_solution_at current (what makes a worker productive, not idle). */
  async touchWorkersLastAccepted(
    manager: EntityManager,
    lastAccepted: Map<number, Date>,
  ): Promise<void> {
    if (lastAccepted.size === 0) return;
    const ids = [...lastAccepted.keys()].sort((a, b) => a - b);
    const at = new Date(Math.max(...[...lastAccepted.values()].map((d) => d.getTime())));
    await manager.query(
      `UPDATE worker SET last_accepted_solution_at = GREATEST(COALESCE(last_accepted_solution_at, ?), ?)
        WHERE id IN (${placeholders(ids.length)})`,
      [at, at, ...ids],
    );
  }

  /** Cleanup: workers idle since `idleSince` (no accepted share, created before), in batches. */
  async deleteIdleWorkers(idleSince: Date, limit: number): Promise<number> {
    const result: { affectedRows?: number } = await this.db.query(
      `DELETE FROM worker WHERE created_at < ?
          AND (last_accepted_solution_at IS NULL OR last_accepted_solution_at < ?) LIMIT ?`,
      [idleSince, idleSince, limit],
    );
    return result.affectedRows ?? 0;
  }

  /** Payout addresses of these miners. */
  async addresses(minerIds: readonly number[]): Promise<Map<number, string>> {
    if (minerIds.length === 0) return new Map();
    const unique = [...new Set(minerIds)];
    const rows: { id: number | string; address: string }[] = await this.db.query(
      `SELECT id, address FROM miner WHERE id IN (${placeholders(unique.length)})`,
      unique,
    );
    return new Map(rows.map((r) => [Number(r.id), r.address]));
  }

  /** Miner ids by payout address on one network (those of these addresses that are miners). */
  async idsByAddress(
    network: string,
    addresses: readonly string[],
    q: Queryable = this.db,
  ): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const unique = [...new Set(addresses)];
    for (let i = 0; i < unique.length; i += 1000) {
      const chunk = unique.slice(i, i + 1000);
      const rows: { id: number | string; address: string }[] = await q.query(
        `SELECT id, address FROM miner WHERE network = ? AND address IN (${placeholders(chunk.length)})`,
        [network, ...chunk],
      );
      for (const r of rows) found.set(r.address, Number(r.id));
    }
    return found;
  }

  /** Miner ids by MINERGUID (the chain walk names the miner of a pool block by it). */
  async idsByGuid(guids: readonly string[]): Promise<Map<string, number>> {
    if (guids.length === 0) return new Map();
    const unique = [...new Set(guids)];
    const rows: { id: number | string; guid: string }[] = await this.db.query(
      `SELECT id, guid FROM miner WHERE guid IN (${placeholders(unique.length)})`,
      unique,
    );
    return new Map(rows.map((r) => [r.guid, Number(r.id)]));
  }

  /** Suspends a miner until `until` unless a suspension is already in force. */
  async suspend(minerId: number, until: Date, reason: string, now: Date): Promise<boolean> {
    const result: { affectedRows?: number } = await this.db.query(
      `UPDATE miner SET suspended_until = ?, suspended_reason = ?
        WHERE id = ? AND (suspended_until IS NULL OR suspended_until <= ?)`,
      [until, reason.slice(0, 160), minerId, now],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  /** Keeps miner.last_accepted_solution_at current (ids sorted: a fixed lock order avoids deadlocks). */
  async touchLastAccepted(manager: EntityManager, lastAccepted: Map<number, Date>): Promise<void> {
    for (const [minerId, at] of [...lastAccepted.entries()].sort((a, b) => a[0] - b[0])) {
      await manager.query(
        `UPDATE miner SET last_accepted_solution_at = GREATEST(COALESCE(last_accepted_solution_at, ?), ?) WHERE id = ?`,
        [at, at, minerId],
      );
    }
  }

  /** The rating job's result: share efficiency and the hash target it chose (null: the base). */
  async rate(minerId: number, rating: string, hashTarget: string | null): Promise<void> {
    await this.db.query('UPDATE miner SET rating = ?, hash_target = ? WHERE id = ?', [
      rating,
      hashTarget,
      minerId,
    ]);
  }

  /** The console's switch: the miner row locked for the transaction, with its current state. */
  async lockForUpdate(
    manager: EntityManager,
    network: string,
    address: string,
  ): Promise<{ id: number; disabled: boolean } | null> {
    const rows: { id: number | string; disabled: number }[] = await manager.query(
      'SELECT id, disabled FROM miner WHERE network = ? AND address = ? FOR UPDATE',
      [network, address],
    );
    return rows.length ? { id: Number(rows[0].id), disabled: Boolean(rows[0].disabled) } : null;
  }

  /** Conditional on the state read under the lock: true when this call changed it. */
  async setDisabled(manager: EntityManager, minerId: number, disabled: boolean): Promise<boolean> {
    const result: { affectedRows: number } = await manager.query(
      'UPDATE miner SET disabled = ? WHERE id = ? AND disabled = ?',
      [disabled ? 1 : 0, minerId, disabled ? 0 : 1],
    );
    return result.affectedRows === 1;
  }
}
