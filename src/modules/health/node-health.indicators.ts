import { Injectable } from '@nestjs/common';
import { HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NodeClients } from '../../biblepay/node-clients';

/**
 * `node_<network>` indicators for /health: the node answers getblockcount within 3 s. A node behind
 * the chain the pool has already seen (restarted with -reindex, still syncing, another node behind
 * the URL) is reported (`behind: true` and a message) but stays up: the backend handles it — pool
 * blocks above its tip wait, nothing is orphaned — and restarting the backend would not help.
 */
@Injectable()
export class NodeHealthIndicators {
  constructor(
    private readonly nodes: NodeClients,
    private readonly indicator: HealthIndicatorService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  indicators(): HealthIndicatorFunction[] {
    return this.nodes.entries().map(([network, client]) => async () => {
      const check = this.indicator.check(`node_${network}`);
      let height: number;
      try {
        height = await withTimeout(client.getBlockCount(), 3000);
      } catch (error) {
        return check.down({ message: (error as Error).message });
      }
      const rows: { h: number | null }[] = await this.db.query(
        "SELECT MAX(height) h FROM block WHERE network = ? AND status <> 'orphaned'",
        [network],
      );
      const seen = rows[0]?.h === null || rows[0]?.h === undefined ? null : Number(rows[0].h);
      if (seen !== null && height < seen) {
        return check.up({
          height,
          seen,
          behind: true,
          message: `node is behind: its tip is ${height}, the pool has seen ${seen}; pool blocks above it wait`,
        });
      }
      return check.up({ height, behind: false });
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
