import { Injectable } from '@nestjs/common';
import { isValidAddress } from '../../biblepay/address';
import { BaseUnits } from '../../biblepay/amount';
import { Network } from '../../biblepay/network';
import { lastUtcDays, startOfUtcDays } from './format';
import { CHART_DAYS, HASHRATE_WINDOW_MS } from './pool-stats.service';
import { ReadCache } from './read-cache';
import {
  HourCount,
  LedgerRow,
  MinerRecord,
  PaymentErrorRow,
  CreditReversalRow,
  PayoutSetAsideRow,
  RejectionCount,
  WebReadModel,
  WorkerActivity,
} from './web-read-model';

const DAY_MS = 86_400_000;
export const LEDGER_ROWS = 100;
const PAYMENT_ERRORS = 10;

export interface MinerMoneySummary {
  balance: BaseUnits;
  credited: BaseUnits;
  paid: BaseUnits;
  /** Of `paid`, what has PAYOUT_CONFIRMATIONS confirmations (the rest is broadcast, pending). */
  confirmed: BaseUnits;
  /** Put into a payment the wallet has not confirmed yet: credited − balance − paid. */
  pendingPayout: BaseUnits;
  lastPaidAt: Date | null;
}

export interface MinerSummary {
  miner: MinerRecord;
  money: MinerMoneySummary;
  shares24h: number;
  hashesPerSecond: number;
  workers: WorkerActivity[];
  lastShareAt: Date | null;
}

export interface MinerOverview extends MinerSummary {
  days: { day: string; shares: number }[];
  ledger: LedgerRow[];
  rejections: RejectionCount[];
  paymentErrors: PaymentErrorRow[];
  reversals: CreditReversalRow[];
  payoutSetAside: PayoutSetAsideRow | null;
}

/** What a lookup by address found; pages and the API word each case their own way. */
export type MinerLookup<T> =
  { kind: 'invalid' } | { kind: 'unknown' } | { kind: 'found'; value: T };

/** A miner's own numbers, straight from the ledger and their shares; cached briefly per miner. */
@Injectable()
export class MinerStatsService {
  constructor(
    private readonly repo: WebReadModel,
    private readonly cache: ReadCache,
  ) {}

  /** Only found miners are kept in the cache: a new miner appears as soon as it exists. */
  async find(network: Network, address: string): Promise<MinerLookup<MinerRecord>> {
    if (!isValidAddress(network, address)) return { kind: 'invalid' };
    const miner = await this.cache.get(
      `miner:${network}:${address}`,
      () => this.repo.findMiner(network, address),
      (found) => found !== null,
    );
    return miner ? { kind: 'found', value: miner } : { kind: 'unknown' };
  }

  async summary(network: Network, address: string): Promise<MinerLookup<MinerSummary>> {
    const found = await this.find(network, address);
    if (found.kind !== 'found') return found;
    return { kind: 'found', value: await this.cachedSummary(found.value) };
  }

  async overview(network: Network, address: string): Promise<MinerLookup<MinerOverview>> {
    const found = await this.find(network, address);
    if (found.kind !== 'found') return found;
    const miner = found.value;
    const value = await this.cache.get(`minerOverview:${miner.id}`, async () => {
      const now = new Date();
      const [summary, days, ledger, rejections, paymentErrors, reversals, payoutSetAside] =
        await Promise.all([
          this.cachedSummary(miner),
          this.repo.sharesPerDay(miner.network, startOfUtcDays(now, CHART_DAYS), miner.id),
          this.repo.ledger(miner.id, { limit: LEDGER_ROWS }),
          this.repo.rejections(miner.id, new Date(now.getTime() - DAY_MS)),
          this.repo.paymentErrors(miner.id, PAYMENT_ERRORS),
          this.repo.creditReversals(miner.id),
          this.repo.payoutSetAside(miner.id),
        ]);
      const byDay = new Map(days.map((d) => [d.day, d.count]));
      return {
        ...summary,
        days: lastUtcDays(now, CHART_DAYS).map((day) => ({ day, shares: byDay.get(day) ?? 0 })),
        ledger,
        rejections,
        paymentErrors,
        reversals,
        payoutSetAside,
      };
    });
    return { kind: 'found', value };
  }

  async payments(
    miner: MinerRecord,
    page: number,
    pageSize: number,
  ): Promise<{ total: number; payments: LedgerRow[] }> {
    return this.cache.get(`minerPayments:${miner.id}:${page}:${pageSize}`, async () => {
      const [total, payments] = await Promise.all([
        this.repo.countLedger(miner.id, 'payout'),
        this.repo.ledger(miner.id, {
          category: 'payout',
          limit: pageSize,
          offset: (page - 1) * pageSize,
        }),
      ]);
      return { total, payments };
    });
  }

  /** One entry per UTC hour of the window, oldest first, zero where nothing came in. */
  async sharesPerHour(miner: MinerRecord, hours: number): Promise<HourCount[]> {
    return this.cache.get(`minerHours:${miner.id}:${hours}`, async () => {
      const now = Date.now();
      const currentHour = Math.floor(now / 3_600_000) * 3_600_000;
      const first = currentHour - (hours - 1) * 3_600_000;
      const rows = await this.repo.sharesPerHour(miner.id, new Date(first));
      const byHour = new Map(rows.map((r) => [r.hour.getTime(), r]));
      const out: HourCount[] = [];
      for (let t = first; t <= currentHour; t += 3_600_000) {
        const row = byHour.get(t);
        out.push({ hour: new Date(t), accepted: row?.accepted ?? 0, rejected: row?.rejected ?? 0 });
      }
      return out;
    });
  }

  private cachedSummary(miner: MinerRecord): Promise<MinerSummary> {
    return this.cache.get(`minerSummary:${miner.id}`, async () => {
      const now = Date.now();
      const [money, workers] = await Promise.all([
        this.repo.minerMoney(miner.id),
        this.repo.workerActivity(
          miner.id,
          new Date(now - DAY_MS),
          new Date(now - HASHRATE_WINDOW_MS),
        ),
      ]);
      const lastShare = workers.reduce<Date | null>(
        (last, w) => (last === null || w.lastShareAt > last ? w.lastShareAt : last),
        null,
      );
      return {
        miner,
        money: {
          ...money,
          pendingPayout: money.credited - money.balance - money.paid,
        },
        shares24h: workers.reduce((sum, w) => sum + w.shares, 0),
        hashesPerSecond: workers.reduce((sum, w) => sum + w.hashesPerSecond, 0),
        workers,
        lastShareAt: lastShare ?? miner.lastAcceptedSolutionAt,
      };
    });
  }
}
