import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

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

/**
 * Every query the frontend makes on miner and worker. Creation is INSERT IGNORE + SELECT: the
 * frontend's DB user may only insert, and the unique indexes settle races between frontends.
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
   * The worker's id, created when new — unless the miner already has `maxWorkers` workers: then
   * null and nothing is created (a race between frontends may overshoot by a few, no more).
   */
  async findOrCreateWorker(
    minerId: number,
    name: string,
    maxWorkers: number,
  ): Promise<number | null> {
    const find = async (): Promise<number | null> => {
      const rows: { id: number | string }[] = await this.db.query(
        'SELECT id FROM worker WHERE miner_id = ? AND name = ?',
        [minerId, name],
      );
      return rows.length ? Number(rows[0].id) : null;
    };
    const existing = await find();
    if (existing !== null) return existing;
    const [{ n }]: { n: number | string }[] = await this.db.query(
      'SELECT COUNT(*) AS n FROM worker WHERE miner_id = ?',
      [minerId],
    );
    if (Number(n) >= maxWorkers) return null;
    await this.db.query(
      'INSERT IGNORE INTO worker (miner_id, name, created_at) VALUES (?, ?, UTC_TIMESTAMP(3))',
      [minerId, name],
    );
    const created = await find();
    if (created === null) throw new Error(`worker ${minerId}/${name} vanished after insert`);
    return created;
  }
}
